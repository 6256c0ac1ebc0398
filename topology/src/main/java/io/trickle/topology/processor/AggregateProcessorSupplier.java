package io.trickle.topology.processor;

import io.trickle.compiler.expr.EvalException;
import io.trickle.compiler.plan.AggCall;
import io.trickle.compiler.plan.AggregateOp;
import io.trickle.topology.TrickleMetrics;
import io.trickle.topology.state.ByteReader;
import io.trickle.topology.state.ByteWriter;
import io.trickle.topology.state.KeyCodec;
import io.trickle.topology.state.OrderedCodec;
import io.trickle.topology.state.RowCodec;
import io.trickle.topology.state.StateStores;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GROUP BY with COUNT/SUM/AVG, the variance family and BOOL_AND/OR (running sums in {@code
 * aggregate-N-groups}) and MIN/MAX (a sorted multiset in {@code aggregate-N-sorted}: [group key,
 * length-prefixed][agg index][order-preserving value] → count, plus the exact value). The current
 * extremum is the first or last key of the group's range, so retracting it costs one seek, never
 * a rescan. DISTINCT aggregates and STRING_AGG keep their value multisets in the same store
 * ({@link AggregateValueSets}). FILTER skips rows for one aggregate. With grouping sets, each
 * input row updates one group per set (the group key is prefixed by the set's index). A change
 * to a group emits −old row then +new row; a group whose count drops to 0 emits only −old. A
 * global aggregate (and the empty grouping set) always has exactly one row, emitted at the latest
 * with the first epoch marker.
 */
public final class AggregateProcessorSupplier implements ProcessorSupplier<Object, Msg, Object, Msg> {
  private static final Logger LOG = LoggerFactory.getLogger(AggregateProcessorSupplier.class);

  private final AggregateOp op;
  private final Set<StoreBuilder<?>> stores = new HashSet<>();

  public AggregateProcessorSupplier(AggregateOp op) {
    if (op.aggs().size() >= 255) {
      throw new UnsupportedOperationException(op.name() + ": more than 254 aggregates in one GROUP BY");
    }
    this.op = op;
    for (String name : op.storeNames()) {
      stores.add(StateStores.persistent(name));
    }
  }

  @Override
  public Set<StoreBuilder<?>> stores() {
    return stores;
  }

  @Override
  public OperatorProcessor get() {
    return new AggregateProcessor();
  }

  private final class AggregateProcessor extends OperatorProcessor {
    private final List<AggCall> aggs = op.aggs();
    private final int keyWidth = op.groupKeys().size();
    /** Per grouping set: the input columns of the group key; the other group columns are NULL. */
    private final int[][] setColumns;
    /** Per grouping set: which group key positions it holds. */
    private final boolean[][] inSet;
    private final boolean prefixSet = op.hasGroupingSets();
    private KeyValueStore<Bytes, byte[]> groups;
    /**
     * Groups changed in the open epoch → [set][1 + the row it had before the epoch, or 0]: their
     * output is emitted once, at the marker, as −before/+now (one diff per group per epoch
     * however many changes it took). {@link #changed} mirrors it in memory.
     */
    private KeyValueStore<Bytes, byte[]> epoch;
    private final java.util.Map<Bytes, byte[]> changed = new java.util.LinkedHashMap<>();
    /** False only in the benchmark mode trickle.epochs=off: every change is emitted at once. */
    private boolean epochs = true;
    private KeyValueStore<Bytes, byte[]> sorted;
    private AggregateValueSets valueSets;
    private Sensor negativeCounts;

    AggregateProcessor() {
      super(op, op.name());
      int n = op.groupSets().size();
      setColumns = new int[n][];
      inSet = new boolean[n][keyWidth];
      for (int s = 0; s < n; s++) {
        List<Integer> set = op.groupSets().get(s);
        setColumns[s] = new int[set.size()];
        for (int j = 0; j < set.size(); j++) {
          setColumns[s][j] = op.groupKeys().get(set.get(j));
          inSet[s][set.get(j)] = true;
        }
      }
    }

    @Override
    protected void openOperator() {
      groups = store(op.storeNames().get(0));
      sorted = op.storeNames().size() > 2 ? store(op.storeNames().get(1)) : null;
      epoch = store(op.storeNames().get(op.storeNames().size() - 1));
      epochs = io.trickle.topology.Epochs.enabled(context.appConfigs());
      changed.clear();
      try (org.apache.kafka.streams.state.KeyValueIterator<Bytes, byte[]> it = StateStores.scans(epoch).all()) {
        it.forEachRemaining(kv -> changed.put(kv.key, kv.value));
      }
      valueSets = sorted == null ? null : new AggregateValueSets(sorted);
      negativeCounts = TrickleMetrics.negativeCounts(context.metrics(), op.name());
      // Split over P tasks, the empty group's rows all reach the task of the empty key: only that
      // one may emit the global row, which exists even when no row does.
      int partitions = io.trickle.topology.Partitioning.configured(context.appConfigs());
      ownsEmptyGroup = context.taskId().partition()
          == io.trickle.topology.Partitioning.partition(KeyCodec.encode(new Object[0], new int[0]), partitions);
    }

    @Override
    protected void onChange(Msg.Change change, Record<Object, Msg> record) {
      for (int s = 0; s < setColumns.length; s++) {
        onChange(s, change, record);
      }
    }

    /** This task owns the empty group key (always, in one task). */
    private boolean ownsEmptyGroup = true;

    private boolean isGlobal(int set) {
      return setColumns[set].length == 0;
    }

    private byte[] groupKey(int set, Object[] row) {
      byte[] key = KeyCodec.encode(row, setColumns[set]);
      if (!prefixSet) {
        return key;
      }
      return new ByteWriter(key.length + 1).writeByte(set).writeBytes(key).toByteArray();
    }

    private void onChange(int set, Msg.Change change, Record<Object, Msg> record) {
      Object[] row = change.row();
      long w = change.weight();
      byte[] groupKey = groupKey(set, row);
      Bytes storeKey = Bytes.wrap(groupKey);
      byte[] stored = groups.get(storeKey);
      Accumulator old = stored == null ? null : Accumulator.decode(stored);
      Accumulator acc = old == null ? new Accumulator(groupValues(set, row), aggs.size()) : old.copy();
      acc.count += w;
      boolean[] passes = new boolean[aggs.size()];
      for (int i = 0; i < aggs.size(); i++) {
        AggCall agg = aggs.get(i);
        passes[i] = agg.filter() < 0 || Boolean.TRUE.equals(row[agg.filter()]);
        if (!passes[i] || agg.needsValueSet()) {
          continue;
        }
        AggregateMath.add(acc, i, agg, agg.arg() < 0 ? null : row[agg.arg()], w);
      }
      // Value sets live in the store: fold the would-be changes into acc before touching it.
      long[] distinctDelta = new long[aggs.size()];
      for (int i = 0; i < aggs.size(); i++) {
        AggCall agg = aggs.get(i);
        if (passes[i] && agg.distinct() && agg.kind() != AggCall.Kind.STRING_AGG
            && agg.kind() != AggCall.Kind.ARRAY_AGG && row[agg.arg()] != null) {
          distinctDelta[i] = previewDistinct(groupKey, i, row[agg.arg()], w);
          AggregateMath.add(acc, i, agg, row[agg.arg()], distinctDelta[i]);
        }
      }
      try {
        for (int i = 0; i < aggs.size(); i++) {
          AggregateMath.result(acc, i, aggs.get(i)); // fail before any state changes
        }
      } catch (EvalException e) {
        reportError(record, e, row, op.input().columns());
        return;
      }
      if (acc.count < 0) {
        negativeCounts.record();
        LOG.error("{}: group {} count went negative ({}); a retraction without its insertion",
            op.name(), Arrays.toString(acc.groupValues), acc.count);
      }
      for (int i = 0; i < aggs.size(); i++) {
        AggCall agg = aggs.get(i);
        if (!passes[i]) {
          continue;
        }
        if (agg.kind() == AggCall.Kind.STRING_AGG) {
          if (row[agg.arg()] != null) {
            acc.nonNull[i] += w;
            valueSets.addOrdered(groupKey, i, agg, row, w);
            acc.extremes[i] = valueSets.render(groupKey, i, agg.distinct());
          }
        } else if (agg.kind() == AggCall.Kind.ARRAY_AGG) {
          // Unlike STRING_AGG, ARRAY_AGG keeps NULL inputs as elements.
          acc.nonNull[i] += w;
          valueSets.addOrdered(groupKey, i, agg, row, w);
          acc.extremes[i] = valueSets.renderArray(groupKey, i, agg.distinct());
        } else if (agg.distinct() && row[agg.arg()] != null) {
          valueSets.addDistinct(groupKey, i, row[agg.arg()], w);
        }
      }
      updateExtremes(groupKey, acc, row, w, passes);

      boolean global = isGlobal(set);
      Object[] oldRow = old != null && wasEmitted(global, old) ? outputRow(set, old) : null;
      boolean visible = global || acc.count > 0;
      Object[] newRow = visible ? outputRow(set, acc) : null;
      if (global || acc.count != 0) {
        acc.emitted = visible;
        groups.put(storeKey, acc.encode());
      } else {
        groups.delete(storeKey);
      }
      if (!epochs) {
        emitDiff(record, oldRow, newRow);
      } else if (!changed.containsKey(storeKey)) {
        ByteWriter bw = new ByteWriter(64).writeByte(set).writeByte(oldRow == null ? 0 : 1);
        if (oldRow != null) {
          RowCodec.writeRow(bw, oldRow);
        }
        byte[] before = bw.toByteArray();
        changed.put(storeKey, before);
        epoch.put(storeKey, before);
      }
    }

    /** Emits −before/+now for every group the epoch changed, and forgets them. */
    private void flushEpoch(Record<Object, Msg> marker) {
      for (java.util.Map.Entry<Bytes, byte[]> e : changed.entrySet()) {
        io.trickle.topology.state.ByteReader r = new io.trickle.topology.state.ByteReader(e.getValue());
        int set = r.readByte();
        Object[] before = r.readByte() == 1 ? RowCodec.readRow(r) : null;
        byte[] stored = groups.get(e.getKey());
        Accumulator acc = stored == null ? null : Accumulator.decode(stored);
        Object[] now = acc != null && (isGlobal(set) || acc.count > 0) ? outputRow(set, acc) : null;
        emitDiff(marker, before, now);
        epoch.delete(e.getKey());
      }
      changed.clear();
    }

    /** The presence change adding {@code w} copies of a DISTINCT value would make; no write. */
    private long previewDistinct(byte[] groupKey, int i, Object value, long w) {
      long before = valueSets.distinctCount(groupKey, i, value);
      long after = before + w;
      return (after > 0 ? 1 : 0) - (before > 0 ? 1 : 0);
    }

    @Override
    protected void onMarker(Msg.Marker marker, Record<Object, Msg> record) {
      flushEpoch(record);
      for (int s = 0; s < setColumns.length; s++) {
        if (!isGlobal(s) || !ownsEmptyGroup) {
          continue;
        }
        Bytes key = Bytes.wrap(groupKey(s, new Object[0]));
        byte[] stored = groups.get(key);
        Accumulator acc = stored == null ? new Accumulator(new Object[keyWidth], aggs.size())
            : Accumulator.decode(stored);
        if (!acc.emitted) {
          acc.emitted = true;
          groups.put(key, acc.encode());
          emit(record.withValue(marker), outputRow(s, acc), +1);
        }
      }
      super.onMarker(marker, record);
    }

    private boolean wasEmitted(boolean global, Accumulator acc) {
      return global ? acc.emitted : acc.count > 0;
    }

    private void emitDiff(Record<Object, Msg> record, Object[] oldRow, Object[] newRow) {
      if (oldRow != null && newRow != null && Arrays.equals(RowCodec.encode(oldRow), RowCodec.encode(newRow))) {
        return;
      }
      if (oldRow != null) {
        emit(record, oldRow, -1);
      }
      if (newRow != null) {
        emit(record, newRow, +1);
      }
    }

    /** The group key values of this set in group-key order, NULL outside the set. */
    private Object[] groupValues(int set, Object[] row) {
      Object[] values = new Object[keyWidth];
      for (int j = 0; j < keyWidth; j++) {
        values[j] = inSet[set][j] ? row[op.groupKeys().get(j)] : null;
      }
      return values;
    }

    private Object[] outputRow(int set, Accumulator acc) {
      Object[] out = new Object[keyWidth + aggs.size()];
      System.arraycopy(acc.groupValues, 0, out, 0, keyWidth);
      for (int i = 0; i < aggs.size(); i++) {
        AggCall agg = aggs.get(i);
        out[keyWidth + i] = agg.kind() == AggCall.Kind.GROUPING ? grouping(set, agg)
            : AggregateMath.result(acc, i, agg);
      }
      return out;
    }

    /** GROUPING(a, b, ...): bit set, most significant first, for each argument not grouped. */
    private Long grouping(int set, AggCall agg) {
      long bits = 0;
      for (int column : agg.extraArgs()) {
        int position = op.groupKeys().indexOf(column);
        bits = (bits << 1) | (position >= 0 && inSet[set][position] ? 0 : 1);
      }
      return bits;
    }

    private void updateExtremes(byte[] groupKey, Accumulator acc, Object[] row, long w,
        boolean[] passes) {
      for (int i = 0; i < aggs.size(); i++) {
        AggCall agg = aggs.get(i);
        if (!agg.kind().needsSortedState()) {
          continue;
        }
        Object value = row[agg.arg()];
        if (value != null && passes[i]) {
          Bytes key = Bytes.wrap(new ByteWriter(groupKey.length + 32).writeLengthPrefixed(groupKey)
              .writeByte(i).writeBytes(OrderedCodec.encode(value)).toByteArray());
          byte[] stored = sorted.get(key);
          long count = (stored == null ? 0 : new ByteReader(stored).readLong()) + w;
          if (count == 0) {
            sorted.delete(key);
          } else {
            ByteWriter v = new ByteWriter(24).writeLong(count);
            RowCodec.writeValue(v, value);
            sorted.put(key, v.toByteArray());
          }
        }
        acc.extremes[i] = extreme(groupKey, i, agg.kind() == AggCall.Kind.MAX);
      }
    }

    /** First (MIN) or last (MAX) value with a positive count in the group's range for agg i. */
    private Object extreme(byte[] groupKey, int i, boolean max) {
      Bytes from = Bytes.wrap(new ByteWriter(groupKey.length + 5).writeLengthPrefixed(groupKey)
          .writeByte(i).toByteArray());
      // No stored key equals this bound: every value encoding after the agg byte is non-empty.
      Bytes to = Bytes.wrap(new ByteWriter(groupKey.length + 5).writeLengthPrefixed(groupKey)
          .writeByte(i + 1).toByteArray());
      try (KeyValueIterator<Bytes, byte[]> it = max ? StateStores.scans(sorted).reverseRange(from, to) : StateStores.scans(sorted).range(from, to)) {
        while (it.hasNext()) {
          KeyValue<Bytes, byte[]> kv = it.next();
          ByteReader r = new ByteReader(kv.value);
          if (r.readLong() > 0) {
            return RowCodec.readValue(r);
          }
          negativeCounts.record();
        }
      }
      return null;
    }
  }
}
