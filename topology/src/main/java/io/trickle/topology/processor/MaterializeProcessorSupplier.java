package io.trickle.topology.processor;

import io.trickle.topology.OutputKey;

import io.trickle.compiler.plan.Column;
import io.trickle.compiler.plan.MaterializeOp;
import io.trickle.topology.Epochs;
import io.trickle.topology.TrickleMetrics;
import io.trickle.topology.state.ByteReader;
import io.trickle.topology.state.ByteWriter;
import io.trickle.topology.state.KeyCodec;
import io.trickle.topology.state.RowCodec;
import io.trickle.topology.state.RowHash;
import io.trickle.topology.state.StateStores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.TreeSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last operator. Accumulates the Z-set per row key and, at each epoch marker, turns the keys
 * touched in the epoch into upserts and tombstones on the output topic, followed by the marker,
 * so the sink only sees net changes at source commit boundaries. A row-hash output (duplicates
 * possible) has one record per copy of a row, keyed {@code <hash>:<ordinal>}, so the target
 * table holds a row the query returns n times as n rows (DESIGN §5). All state is in the one store
 * {@code materialize-N-rows}, partitioned by a tag byte:
 * <ul>
 *   <li>{@code c}[key, length-prefixed][row] → count: the current content;
 *   <li>{@code e}[key] → [count][row]: the row last emitted for the key, and for a row hash
 *       how many copies of it (ordinals 1..count);
 *   <li>{@code d}[key]: keys changed since the last marker (persistent, so a restart mid-epoch
 *       still flushes them);
 *   <li>{@code p}: a marker not yet forwarded because its epoch emitted nothing. A wall-clock
 *       punctuator forwards it, so the sink's LSN advances when nothing changes, without one
 *       record per idle source transaction.
 * </ul>
 */
public final class MaterializeProcessorSupplier implements ProcessorSupplier<Object, Msg, OutputKey, byte[]> {
  private static final Logger LOG = LoggerFactory.getLogger(MaterializeProcessorSupplier.class);
  static final Duration PENDING_MARKER_INTERVAL = Duration.ofMillis(100);
  private static final byte CONTENT = 'c';
  private static final byte EMITTED = 'e';
  private static final byte DIRTY = 'd';
  private static final Bytes PENDING = Bytes.wrap(new byte[] {'p'});

  private final MaterializeOp op;
  private final StoreBuilder<KeyValueStore<Bytes, byte[]>> store;

  public MaterializeProcessorSupplier(MaterializeOp op) {
    Set<String> names = new HashSet<>();
    for (Column c : op.columns()) {
      if (!names.add(c.name()) || (!op.key().unique() && c.name().equals(OutputRecords.ROW_HASH_KEY))) {
        throw new IllegalArgumentException("stream table " + op.streamTable()
            + " has two output columns named " + c.name() + "; every column needs its own name");
      }
    }
    this.op = op;
    this.store = StateStores.persistent(op.storeNames().get(0));
  }

  @Override
  public Set<StoreBuilder<?>> stores() {
    return Set.of(store);
  }

  @Override
  public MaterializeProcessor get() {
    return new MaterializeProcessor();
  }

  private final class MaterializeProcessor extends ZSetProcessor<OutputKey, byte[]> {
    /** This task's partition, which its keys belong to: its records go to that output partition. */
    private int partition;
    private final List<Column> columns = op.columns();
    private final boolean rowHash = !op.key().unique();
    private final int[] keyColumns = KeyCodec.toArray(op.key().columns());
    private KeyValueStore<Bytes, byte[]> rows;
    private Sensor negativeCounts;
    private Sensor changes;
    /** False only in the benchmark mode {@code trickle.epochs=off}: emit each change at once. */
    private boolean epochs = true;
    /**
     * The keys touched in the open epoch: a copy of the store's {@code DIRTY} entries, so closing
     * an epoch needs no range scan over the deleted entries of earlier epochs.
     */
    private final Set<Bytes> dirtyKeys = new TreeSet<>();

    @Override
    protected void open() {
      epochs = Epochs.enabled(context.appConfigs());
      partition = context.taskId().partition();
      rows = store(op.storeNames().get(0));
      dirtyKeys.clear();
      try (KeyValueIterator<Bytes, byte[]> it = StateStores.scans(rows).prefixScan(Bytes.wrap(new byte[] {DIRTY}), new BytesSerializer())) {
        it.forEachRemaining(kv -> dirtyKeys.add(kv.key));
      }
      negativeCounts = TrickleMetrics.negativeCounts(context.metrics(), op.name());
      changes = TrickleMetrics.changesProcessed(context.metrics(), op.name());
      context.schedule(PENDING_MARKER_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::forwardPending);
    }

    @Override
    protected void onChange(Msg.Change change, Record<Object, Msg> record) {
      byte[] key = rowHash ? RowHash.of(change.row()) : KeyCodec.encode(change.row(), keyColumns);
      Bytes contentKey = Bytes.wrap(new ByteWriter(key.length + 64).writeByte(CONTENT)
          .writeLengthPrefixed(key).writeBytes(RowCodec.encode(change.row())).toByteArray());
      byte[] stored = rows.get(contentKey);
      long count = (stored == null ? 0 : StateStores.readLong(stored)) + change.weight();
      if (count == 0) {
        rows.delete(contentKey);
      } else {
        rows.put(contentKey, StateStores.longBytes(count));
      }
      if (!epochs) {
        flushKey(key, record.timestamp());
        return;
      }
      Bytes dirtyKey = tagged(DIRTY, key);
      if (dirtyKeys.add(dirtyKey)) {
        rows.put(dirtyKey, new byte[] {1});
      }
    }

    @Override
    protected void onMarker(Msg.Marker marker, Record<Object, Msg> record) {
      List<Bytes> dirty = new ArrayList<>(dirtyKeys);
      dirtyKeys.clear();
      boolean emitted = false;
      for (Bytes dirtyKey : dirty) {
        byte[] key = Arrays.copyOfRange(dirtyKey.get(), 1, dirtyKey.get().length);
        emitted |= flushKey(key, record.timestamp());
        rows.delete(dirtyKey);
      }
      if (emitted) {
        rows.delete(PENDING);
        forwardMarker(marker, record.timestamp());
      } else {
        rows.put(PENDING, new ByteWriter(24).writeLong(marker.seq()).writeLong(marker.lsn())
            .writeLong(marker.tsMs()).toByteArray());
      }
    }

    @Override
    protected void onError(Msg.ErrorNote error, Record<Object, Msg> record) {
      context.forward(new Record<>(new OutputKey(OutputRecords.errorKey(), partition), OutputRecords.errorValue(error),
          record.timestamp(), OutputRecords.header(OutputRecords.ERROR_HEADER)));
    }

    /**
     * Emits what changed for the key since it was last emitted; true if anything was. A unique
     * key emits its row or a tombstone. A row hash emits one record per copy of the row, keyed by
     * hash and ordinal: a count going from m to n emits copies m+1..n, or tombstones for n+1..m
     * (all n copies again if the row itself changed under the same hash).
     */
    private boolean flushKey(byte[] key, long timestamp) {
      byte[] prefix = new ByteWriter(key.length + 5).writeByte(CONTENT).writeLengthPrefixed(key).toByteArray();
      Object[] visible = null;
      long visibleCount = 0;
      try (KeyValueIterator<Bytes, byte[]> it = StateStores.scans(rows).prefixScan(Bytes.wrap(prefix), new BytesSerializer())) {
        while (it.hasNext()) {
          KeyValue<Bytes, byte[]> kv = it.next();
          long count = StateStores.readLong(kv.value);
          byte[] k = kv.key.get();
          Object[] row = RowCodec.decode(k, prefix.length, k.length - prefix.length);
          if (count < 0) {
            negativeCounts.record();
            LOG.error("{}: row {} has multiplicity {}; a retraction without its insertion", op.name(),
                Arrays.toString(row), count);
          } else if (visible != null) {
            LOG.error("{}: two rows share the unique key {}: {} and {}", op.name(),
                Arrays.toString(keyValues(row)), Arrays.toString(visible), Arrays.toString(row));
          } else {
            visible = row;
            visibleCount = count;
          }
        }
      }
      if (visible != null && !rowHash && visibleCount != 1) {
        LOG.error("{}: row {} has multiplicity {} under a unique key", op.name(), Arrays.toString(visible), visibleCount);
        visibleCount = 1;
      }
      Bytes emittedKey = tagged(EMITTED, key);
      byte[] last = rows.get(emittedKey);
      byte[] next = null;
      if (visible != null) {
        ByteWriter w = new ByteWriter(64).writeLong(visibleCount);
        RowCodec.writeRow(w, visible);
        next = w.toByteArray();
      }
      if (Arrays.equals(last, next)) {
        return false;
      }
      if (next == null) {
        rows.delete(emittedKey);
      } else {
        rows.put(emittedKey, next);
      }
      if (!rowHash) {
        Object[] keyRow = visible != null ? visible : RowCodec.readRow(skipCount(last));
        forward(OutputRecords.key(keyRow, columns, op.key().columns()),
            visible == null ? null : OutputRecords.value(visible, columns), timestamp);
        return true;
      }
      long lastCount = last == null ? 0 : new ByteReader(last).readLong();
      boolean sameRow = last != null && next != null
          && Arrays.equals(last, Long.BYTES, last.length, next, Long.BYTES, next.length);
      String hex = RowHash.hex(key);
      if (visibleCount > 0) {
        byte[] value = OutputRecords.value(visible, columns);
        for (long ordinal = sameRow ? lastCount + 1 : 1; ordinal <= visibleCount; ordinal++) {
          forward(OutputRecords.rowHashKey(hex, ordinal), value, timestamp);
        }
      }
      for (long ordinal = visibleCount + 1; ordinal <= lastCount; ordinal++) {
        forward(OutputRecords.rowHashKey(hex, ordinal), null, timestamp);
      }
      return true;
    }

    private void forward(byte[] key, byte[] value, long timestamp) {
      changes.record();
      context.forward(new Record<>(new OutputKey(key, partition), value, timestamp, new RecordHeaders()));
    }

    private ByteReader skipCount(byte[] emitted) {
      ByteReader r = new ByteReader(emitted);
      r.readLong();
      return r;
    }

    private Object[] keyValues(Object[] row) {
      Object[] out = new Object[keyColumns.length];
      for (int i = 0; i < keyColumns.length; i++) {
        out[i] = row[keyColumns[i]];
      }
      return out;
    }

    private void forwardPending(long now) {
      byte[] pending = rows.get(PENDING);
      if (pending != null) {
        rows.delete(PENDING);
        ByteReader r = new ByteReader(pending);
        forwardMarker(new Msg.Marker(r.readLong(), r.readLong(), r.readLong()), now);
      }
    }

    private void forwardMarker(Msg.Marker marker, long timestamp) {
      context.forward(new Record<>(new OutputKey(OutputRecords.markerKey(), partition), OutputRecords.markerValue(marker),
          timestamp, OutputRecords.header(OutputRecords.MARKER_HEADER)));
    }

    private Bytes tagged(byte tag, byte[] key) {
      return Bytes.wrap(new ByteWriter(key.length + 1).writeByte(tag).writeBytes(key).toByteArray());
    }
  }
}
