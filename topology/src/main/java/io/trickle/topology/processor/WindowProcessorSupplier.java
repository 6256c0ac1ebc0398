package io.trickle.topology.processor;

import io.trickle.compiler.expr.EvalException;
import io.trickle.compiler.plan.WindowOp;
import io.trickle.topology.TrickleMetrics;
import io.trickle.topology.state.ByteWriter;
import io.trickle.topology.state.KeyCodec;
import io.trickle.topology.state.RowCodec;
import io.trickle.topology.state.StateStores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Window functions. The store {@code window-N-rows} holds every input row under
 * [partition key, length-prefixed][exact row] → multiplicity, so one prefix scan reads a
 * partition. A change reads its partition, evaluates it before and after the change ({@link
 * WindowEvaluator}) and emits the difference: −rows that are gone, +rows that are new. Only the
 * changed partition is touched; its cost is O(p log p) for a partition of p rows.
 */
public final class WindowProcessorSupplier implements ProcessorSupplier<Object, Msg, Object, Msg> {
  private static final Logger LOG = LoggerFactory.getLogger(WindowProcessorSupplier.class);

  private final WindowOp op;

  public WindowProcessorSupplier(WindowOp op) {
    this.op = op;
  }

  @Override
  public Set<StoreBuilder<?>> stores() {
    return Set.of(StateStores.persistent(op.storeNames().get(0)));
  }

  @Override
  public OperatorProcessor get() {
    return new WindowProcessor();
  }

  private final class WindowProcessor extends OperatorProcessor {
    private final int[] partitionColumns = KeyCodec.toArray(op.partitionKeys());
    private final WindowEvaluator evaluator = new WindowEvaluator(op);
    private KeyValueStore<Bytes, byte[]> rows;
    private Sensor negativeCounts;

    WindowProcessor() {
      super(op, op.name());
    }

    @Override
    protected void openOperator() {
      rows = store(op.storeNames().get(0));
      negativeCounts = TrickleMetrics.negativeCounts(context.metrics(), op.name());
    }

    @Override
    protected void onChange(Msg.Change change, Record<Object, Msg> record) {
      Object[] row = change.row();
      byte[] prefix = new ByteWriter(32).writeLengthPrefixed(KeyCodec.encode(row, partitionColumns))
          .toByteArray();
      byte[] rowBytes = RowCodec.encode(row);
      Bytes key = Bytes.wrap(new ByteWriter(prefix.length + rowBytes.length).writeBytes(prefix)
          .writeBytes(rowBytes).toByteArray());
      List<Object[]> before = new ArrayList<>();
      long count = 0;
      try (KeyValueIterator<Bytes, byte[]> it = StateStores.scans(rows).prefixScan(Bytes.wrap(prefix), new BytesSerializer())) {
        while (it.hasNext()) {
          KeyValue<Bytes, byte[]> kv = it.next();
          long n = StateStores.readLong(kv.value);
          if (kv.key.equals(key)) {
            count = n;
          }
          Object[] r = RowCodec.decode(kv.key.get(), prefix.length, kv.key.get().length - prefix.length);
          for (long i = 0; i < n; i++) {
            before.add(r);
          }
        }
      }
      long updated = count + change.weight();
      if (updated < 0) {
        negativeCounts.record();
        LOG.error("{}: row {} count went negative ({}); a retraction without its insertion",
            op.name(), Arrays.toString(row), updated);
      }
      List<Object[]> after = new ArrayList<>(before.size() + 1);
      long kept = 0;
      for (Object[] r : before) {
        boolean same = Arrays.equals(RowCodec.encode(r), rowBytes);
        if (!same || kept++ < updated) {
          after.add(r);
        }
      }
      for (long i = Math.max(count, 0); i < updated; i++) {
        after.add(row);
      }
      List<Object[]> oldOut;
      List<Object[]> newOut;
      try {
        oldOut = evaluator.evaluate(before);
        newOut = evaluator.evaluate(after);
      } catch (EvalException e) {
        reportError(record, e, row, op.input().columns());
        return;
      }
      if (updated == 0) {
        rows.delete(key);
      } else {
        rows.put(key, StateStores.longBytes(updated));
      }
      emitDiff(record, oldOut, newOut);
    }

    private void emitDiff(Record<Object, Msg> record, List<Object[]> oldOut, List<Object[]> newOut) {
      Map<Bytes, Object[]> distinct = new LinkedHashMap<>();
      Map<Bytes, Long> delta = new LinkedHashMap<>();
      for (Object[] r : oldOut) {
        Bytes b = Bytes.wrap(RowCodec.encode(r));
        distinct.putIfAbsent(b, r);
        delta.merge(b, -1L, Long::sum);
      }
      for (Object[] r : newOut) {
        Bytes b = Bytes.wrap(RowCodec.encode(r));
        distinct.putIfAbsent(b, r);
        delta.merge(b, 1L, Long::sum);
      }
      // Retractions first, so a keyed consumer never sees two rows under one key.
      delta.forEach((b, w) -> {
        if (w < 0) {
          emit(record, distinct.get(b), w);
        }
      });
      delta.forEach((b, w) -> {
        if (w > 0) {
          emit(record, distinct.get(b), w);
        }
      });
    }
  }
}
