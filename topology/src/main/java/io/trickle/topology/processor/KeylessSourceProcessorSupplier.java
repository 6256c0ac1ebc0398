package io.trickle.topology.processor;

import com.fasterxml.jackson.databind.JsonNode;
import io.trickle.compiler.expr.EvalException;
import io.trickle.compiler.plan.Column;
import io.trickle.compiler.plan.SourceOp;
import io.trickle.topology.TrickleMetrics;
import io.trickle.topology.state.ByteReader;
import io.trickle.topology.state.ByteWriter;
import io.trickle.topology.state.RowCodec;
import io.trickle.topology.state.RowHash;
import io.trickle.topology.state.StateStores;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A captured table without a primary key, in the capture stage ({@link
 * io.trickle.topology.capture.CaptureTopology}), under REPLICA IDENTITY FULL (the compiler rejects it
 * otherwise). Rows are identified by a hash of the whole row and counted, in its store ({@code
 * capture-<schema.table>-rows}): row hash → [count, row]. An insert adds one copy; a delete removes one copy of
 * its {@code before}, which REPLICA IDENTITY FULL makes the whole old row; an update does both.
 * Unlike a keyed source, a repeated insert cannot be told from a second identical row, so
 * replays are not idempotent; Kafka Streams' exactly-once processing is what prevents them.
 */
public final class KeylessSourceProcessorSupplier
    implements ProcessorSupplier<Object, Msg, Object, Msg> {
  private static final Logger LOG = LoggerFactory.getLogger(KeylessSourceProcessorSupplier.class);

  private final SourceOp op;
  private final String name;
  private final String storeName;
  private final StoreBuilder<KeyValueStore<Bytes, byte[]>> store;

  public KeylessSourceProcessorSupplier(SourceOp op) {
    this(op, op.name(), op.storeNames().get(0));
  }

  /**
   * @param name the processor's name (metrics, logs, error notes)
   * @param storeName its row hash → [count, row] store
   */
  public KeylessSourceProcessorSupplier(SourceOp op, String name, String storeName) {
    if (op.key().unique() || op.readsStreamTable()) {
      throw new IllegalArgumentException(op.name() + " is not a keyless table source");
    }
    this.op = op;
    this.name = name;
    this.storeName = storeName;
    this.store = StateStores.persistent(storeName);
  }

  @Override
  public Set<StoreBuilder<?>> stores() {
    return Set.of(store);
  }

  @Override
  public OperatorProcessor get() {
    return new KeylessSourceProcessor();
  }

  private final class KeylessSourceProcessor extends OperatorProcessor {
    private final List<Column> columns = op.columns();
    private KeyValueStore<Bytes, byte[]> rows;
    private Sensor poison;
    private Sensor negativeCounts;

    KeylessSourceProcessor() {
      super(op, name);
    }

    @Override
    protected void openOperator() {
      rows = store(storeName);
      poison = TrickleMetrics.poisonRecords(context.metrics(), name);
      negativeCounts = TrickleMetrics.negativeCounts(context.metrics(), name);
    }

    @Override
    protected void onChange(Msg.Change change, Record<Object, Msg> record) {
      throw new IllegalStateException(name + " reads Debezium events, not changes");
    }

    @Override
    protected void onSourceEvent(Msg.SourceEvent event, Record<Object, Msg> record) {
      try {
        switch (event.op()) {
          case "c", "r" -> add(decode(requireObject(event.after(), "after"), null), +1, record);
          case "u" -> update(event, record);
          case "d" -> add(decode(requireBefore(event), null), -1, record);
          case "t" -> truncate(record);
          default -> throw new EvalException("22023", "unknown Debezium op " + event.op());
        }
      } catch (EvalException e) {
        poison.record();
        RecordMetadata meta = context.recordMetadata().orElse(null);
        LOG.warn("{}: skipping change of {} at topic {} partition {} offset {}: {}", name,
            op.qualifiedName(), meta == null ? "?" : meta.topic(), meta == null ? -1 : meta.partition(),
            meta == null ? -1 : meta.offset(), e.getMessage());
        reportError(record, e, new Object[0], columns);
      }
    }

    private void update(Msg.SourceEvent event, Record<Object, Msg> record) {
      Object[] old = decode(requireBefore(event), null);
      // An unchanged TOASTed column is only a placeholder in "after"; "before" has its value.
      Object[] row = decode(requireObject(event.after(), "after"), old);
      if (java.util.Arrays.equals(RowCodec.encode(old), RowCodec.encode(row))) {
        return;
      }
      add(old, -1, record);
      add(row, +1, record);
    }

    /** Adds {@code weight} copies of {@code row}; a retraction of a row not stored is an error. */
    private void add(Object[] row, long weight, Record<Object, Msg> record) {
      Bytes key = Bytes.wrap(RowHash.of(row));
      byte[] stored = rows.get(key);
      long count = (stored == null ? 0 : new ByteReader(stored).readLong()) + weight;
      if (count < 0) {
        negativeCounts.record();
        throw new EvalException("XX000", "a delete or update of " + op.qualifiedName()
            + " removes a row that is not stored: " + java.util.Arrays.toString(row));
      }
      if (count == 0) {
        rows.delete(key);
      } else {
        ByteWriter w = new ByteWriter(64).writeLong(count);
        RowCodec.writeRow(w, row);
        rows.put(key, w.toByteArray());
      }
      emit(record, row, weight);
    }

    private void truncate(Record<Object, Msg> record) {
      List<KeyValue<Bytes, byte[]>> all = new ArrayList<>();
      try (KeyValueIterator<Bytes, byte[]> it = StateStores.scans(rows).all()) {
        it.forEachRemaining(all::add);
      }
      for (KeyValue<Bytes, byte[]> kv : all) {
        ByteReader r = new ByteReader(kv.value);
        long count = r.readLong();
        rows.delete(kv.key);
        emit(record, RowCodec.readRow(r), -count);
      }
    }

    /** @param fill the old row whose values replace unchanged-TOAST placeholders, or null */
    private Object[] decode(JsonNode image, Object[] fill) {
      Object[] row = new Object[columns.size()];
      for (int i = 0; i < row.length; i++) {
        JsonNode node = image.get(columns.get(i).name());
        if (DebeziumJson.isUnavailable(node)) {
          if (fill == null) {
            throw new EvalException("55000", "column " + columns.get(i).name() + " of "
                + op.qualifiedName() + " is an unchanged TOAST value without its old row");
          }
          row[i] = fill[i];
        } else {
          row[i] = DebeziumJson.toValue(node, columns.get(i).type());
        }
      }
      return row;
    }

    private JsonNode requireBefore(Msg.SourceEvent event) {
      JsonNode before = event.before();
      if (before == null || !before.isObject()) {
        throw new EvalException("55000", "a delete or update of " + op.qualifiedName()
            + " without its old row; the table has no primary key, so it needs REPLICA IDENTITY"
            + " FULL");
      }
      return before;
    }

    private JsonNode requireObject(JsonNode node, String field) {
      if (node == null || !node.isObject()) {
        throw new EvalException("22023", "Debezium event without \"" + field + "\"");
      }
      return node;
    }
  }
}
