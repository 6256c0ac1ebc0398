package io.trickle.topology.processor;

import io.trickle.compiler.plan.TopKOp;
import io.trickle.topology.TrickleMetrics;
import io.trickle.topology.state.ByteReader;
import io.trickle.topology.state.ByteWriter;
import io.trickle.topology.state.KeyCodec;
import io.trickle.topology.state.RowCodec;
import io.trickle.topology.state.SortKeyCodec;
import io.trickle.topology.state.StateStores;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * ORDER BY ... LIMIT n OFFSET m per partition (or OFFSET m alone: all but the first m rows). State {@code topk-N-sorted} is the input as an
 * ordered multiset: key = [partition key, length-prefixed][{@link SortKeyCodec} sort key][exact
 * row], value = [multiplicity][row]; the exact row ends the key, so equal sort keys are ordered
 * by the row's encoding (deterministic). The window, positions [m, m+n) counting multiplicity, is
 * the first m+n entries of the partition's range. A change whose key sorts after a full window
 * only updates the store; otherwise the window is read before and after the update and only the
 * difference is emitted. Cost: O(m+n) reads, never a scan of the whole input. Without a limit the
 * window is the m skipped rows, and the output change is the input change minus theirs: O(m).
 */
public final class TopKProcessorSupplier implements ProcessorSupplier<Object, Msg, Object, Msg> {
  private final TopKOp op;

  public TopKProcessorSupplier(TopKOp op) {
    this.op = op;
  }

  @Override
  public Set<StoreBuilder<?>> stores() {
    return Set.of(StateStores.persistent(op.storeNames().get(0)));
  }

  @Override
  public OperatorProcessor get() {
    return new TopKProcessor();
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }

  /** One distinct row of a window and how many of its copies are inside the window. */
  private record Slot(Object[] row, long copies) {}

  private final class TopKProcessor extends OperatorProcessor {
    private final int[] partitionColumns = KeyCodec.toArray(op.partitionKeys());
    private final boolean noLimit = op.limit() == TopKOp.NO_LIMIT;
    /** The window is positions [from, to); without a limit it is the skipped rows [0, offset). */
    private final long from = noLimit ? 0 : op.offset();
    private final long to = noLimit ? op.offset() : saturatedAdd(op.offset(), op.limit());
    private KeyValueStore<Bytes, byte[]> sorted;
    private Sensor negativeCounts;

    TopKProcessor() {
      super(op, op.name());
    }

    @Override
    protected void openOperator() {
      sorted = store(op.storeNames().get(0));
      negativeCounts = TrickleMetrics.negativeCounts(context.metrics(), op.name());
    }

    @Override
    protected void onChange(Msg.Change change, Record<Object, Msg> record) {
      if (op.limit() == 0) {
        return;
      }
      Object[] row = change.row();
      byte[] prefix = new ByteWriter(32).writeLengthPrefixed(
          KeyCodec.encode(row, partitionColumns)).toByteArray();
      ByteWriter k = new ByteWriter(prefix.length + 64).writeBytes(prefix);
      for (TopKOp.SortKey s : op.sortKeys()) {
        SortKeyCodec.write(k, row[s.column()], s.descending(), s.nullsFirst());
      }
      byte[] rowBytes = RowCodec.encode(row);
      Bytes key = Bytes.wrap(k.writeBytes(rowBytes).toByteArray());

      Bytes[] last = new Bytes[1];
      Map<Bytes, Slot> before = window(prefix, last);
      boolean afterFullWindow = last[0] != null && key.compareTo(last[0]) > 0;
      update(key, row, change.weight());
      if (afterFullWindow) {
        if (noLimit) {
          emit(record, row, change.weight());
        }
        return;
      }
      Map<Bytes, Slot> after = window(prefix, null);
      if (noLimit) {
        emitAllButSkipped(record, key, row, change.weight(), before, after);
        return;
      }
      for (Map.Entry<Bytes, Slot> e : before.entrySet()) {
        Slot now = after.get(e.getKey());
        long diff = (now == null ? 0 : now.copies()) - e.getValue().copies();
        if (diff < 0) {
          emit(record, e.getValue().row(), diff);
        }
      }
      for (Map.Entry<Bytes, Slot> e : after.entrySet()) {
        Slot was = before.get(e.getKey());
        long diff = e.getValue().copies() - (was == null ? 0 : was.copies());
        if (diff > 0) {
          emit(record, e.getValue().row(), diff);
        }
      }
    }

    /**
     * OFFSET without LIMIT: the output is the input minus its first m rows, so its change is the
     * input's change minus the change of the skipped rows (at most one row crosses the boundary
     * per unit of weight), netted per row so a row entering the skipped rows emits nothing.
     */
    private void emitAllButSkipped(Record<Object, Msg> record, Bytes key, Object[] row,
        long weight, Map<Bytes, Slot> before, Map<Bytes, Slot> after) {
      Map<Bytes, Slot> net = new LinkedHashMap<>();
      net.put(key, new Slot(row, weight));
      for (Map.Entry<Bytes, Slot> e : before.entrySet()) {
        net.merge(e.getKey(), e.getValue(), (a, b) -> new Slot(a.row(), a.copies() + b.copies()));
      }
      for (Map.Entry<Bytes, Slot> e : after.entrySet()) {
        Slot minus = new Slot(e.getValue().row(), -e.getValue().copies());
        net.merge(e.getKey(), minus, (a, b) -> new Slot(a.row(), a.copies() + b.copies()));
      }
      for (Slot s : net.values()) {
        if (s.copies() < 0) {
          emit(record, s.row(), s.copies());
        }
      }
      for (Slot s : net.values()) {
        if (s.copies() > 0) {
          emit(record, s.row(), s.copies());
        }
      }
    }

    private void update(Bytes key, Object[] row, long weight) {
      byte[] stored = sorted.get(key);
      long count = (stored == null ? 0 : new ByteReader(stored).readLong()) + weight;
      if (count == 0) {
        sorted.delete(key);
      } else {
        if (count < 0) {
          negativeCounts.record();
        }
        ByteWriter v = new ByteWriter(64).writeLong(count);
        RowCodec.writeRow(v, row);
        sorted.put(key, v.toByteArray());
      }
    }

    /**
     * The rows at positions [from, to) of the partition, by store key. If the window is full,
     * {@code last[0]} (when given) is set to the key at position to-1.
     */
    private Map<Bytes, Slot> window(byte[] prefix, Bytes[] last) {
      Map<Bytes, Slot> out = new LinkedHashMap<>();
      long position = 0;
      try (KeyValueIterator<Bytes, byte[]> it = StateStores.scans(sorted).prefixScan(Bytes.wrap(prefix),
          new BytesSerializer())) {
        while (position < to && it.hasNext()) {
          KeyValue<Bytes, byte[]> kv = it.next();
          ByteReader r = new ByteReader(kv.value);
          long count = r.readLong();
          if (count <= 0) {
            continue;
          }
          long first = Math.max(position, from);
          long end = Math.min(saturatedAdd(position, count), to);
          if (end > first) {
            out.put(kv.key, new Slot(RowCodec.readRow(r), end - first));
          }
          position = saturatedAdd(position, count);
          if (position >= to && last != null) {
            last[0] = kv.key;
          }
        }
      }
      return out;
    }
  }
}
