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
 * GROUP BY with COUNT/SUM/AVG (running sums in {@code aggregate-N-groups}) and MIN/MAX (a sorted
 * multiset in {@code aggregate-N-sorted}: [group key, length-prefixed][agg index][order-preserving
 * value] → count, plus the exact value). The current extremum is the first or last key of the
 * group's range, so retracting it costs one seek, never a rescan. A change to a group emits −old
 * row then +new row; a group whose count drops to 0 emits only −old. A global aggregate always
 * has exactly one row, emitted at the latest with the first epoch marker.
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
    private final int[] groupColumns = KeyCodec.toArray(op.groupKeys());
    private final List<AggCall> aggs = op.aggs();
    private KeyValueStore<Bytes, byte[]> groups;
    private KeyValueStore<Bytes, byte[]> sorted;
    private Sensor negativeCounts;

    AggregateProcessor() {
      super(op, op.name());
    }

    @Override
    protected void openOperator() {
      groups = store(op.storeNames().get(0));
      sorted = op.storeNames().size() > 1 ? store(op.storeNames().get(1)) : null;
      negativeCounts = TrickleMetrics.negativeCounts(context.metrics(), op.name());
    }

    @Override
    protected void onChange(Msg.Change change, Record<Object, Msg> record) {
      Object[] row = change.row();
      long w = change.weight();
      byte[] groupKey = KeyCodec.encode(row, groupColumns);
      Bytes storeKey = Bytes.wrap(groupKey);
      byte[] stored = groups.get(storeKey);
      Accumulator old = stored == null ? null : Accumulator.decode(stored);
      Accumulator acc = old == null ? new Accumulator(groupValues(row), aggs.size()) : old.copy();
      acc.count += w;
      for (int i = 0; i < aggs.size(); i++) {
        AggCall agg = aggs.get(i);
        AggregateMath.add(acc, i, agg, agg.arg() < 0 ? null : row[agg.arg()], w);
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
      updateExtremes(groupKey, acc, row, w);

      Object[] oldRow = old != null && wasEmitted(old) ? outputRow(old) : null;
      boolean visible = isVisible(acc);
      Object[] newRow = visible ? outputRow(acc) : null;
      if (op.isGlobal() || acc.count != 0) {
        acc.emitted = visible;
        groups.put(storeKey, acc.encode());
      } else {
        groups.delete(storeKey);
      }
      emitDiff(record, oldRow, newRow);
    }

    @Override
    protected void onMarker(Msg.Marker marker, Record<Object, Msg> record) {
      if (op.isGlobal()) {
        Bytes key = Bytes.wrap(KeyCodec.encode(new Object[0], groupColumns));
        byte[] stored = groups.get(key);
        Accumulator acc = stored == null ? new Accumulator(new Object[0], aggs.size()) : Accumulator.decode(stored);
        if (!acc.emitted) {
          acc.emitted = true;
          groups.put(key, acc.encode());
          emit(record.withValue(marker), outputRow(acc), +1);
        }
      }
      super.onMarker(marker, record);
    }

    /** A group row exists while the group has rows; the global row always. */
    private boolean isVisible(Accumulator acc) {
      return op.isGlobal() || acc.count > 0;
    }

    private boolean wasEmitted(Accumulator acc) {
      return op.isGlobal() ? acc.emitted : acc.count > 0;
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

    private Object[] groupValues(Object[] row) {
      Object[] values = new Object[groupColumns.length];
      for (int i = 0; i < groupColumns.length; i++) {
        values[i] = row[groupColumns[i]];
      }
      return values;
    }

    private Object[] outputRow(Accumulator acc) {
      Object[] out = new Object[groupColumns.length + aggs.size()];
      System.arraycopy(acc.groupValues, 0, out, 0, groupColumns.length);
      for (int i = 0; i < aggs.size(); i++) {
        out[groupColumns.length + i] = AggregateMath.result(acc, i, aggs.get(i));
      }
      return out;
    }

    private void updateExtremes(byte[] groupKey, Accumulator acc, Object[] row, long w) {
      for (int i = 0; i < aggs.size(); i++) {
        AggCall agg = aggs.get(i);
        if (!agg.kind().needsSortedState()) {
          continue;
        }
        Object value = row[agg.arg()];
        if (value != null) {
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
      try (KeyValueIterator<Bytes, byte[]> it = max ? sorted.reverseRange(from, to) : sorted.range(from, to)) {
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
