package io.trickle.topology.processor;

import io.trickle.compiler.plan.SetOperationOp;
import io.trickle.topology.TrickleMetrics;
import io.trickle.topology.state.ByteReader;
import io.trickle.topology.state.ByteWriter;
import io.trickle.topology.state.KeyCodec;
import io.trickle.topology.state.RowCodec;
import io.trickle.topology.state.StateStores;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * One input of UNION / INTERSECT [ALL] / EXCEPT [ALL]: processor {@code setop-N-input-i}. All
 * inputs share the store {@code setop-N-counts}: key = the row's {@link KeyCodec} encoding over
 * every column (NULLs equal each other and numerics compare by value, as in PostgreSQL's set
 * operations), value = [multiplicity per input][the row shown]. A change updates its input's
 * count and emits the difference of the output multiplicity ({@link SetOperationOp.Kind}). The
 * row shown is the first one seen from the leftmost input; among rows equal by value but
 * differing in numeric scale (1.0 and 1.00) PostgreSQL too shows whichever it meets first.
 */
public final class SetOperationProcessorSupplier
    implements ProcessorSupplier<Object, Msg, Object, Msg> {
  private final SetOperationOp op;
  private final int input;
  private final Set<StoreBuilder<?>> stores;

  /** @param stores {@link #storesOf}, the same instance for every input */
  public SetOperationProcessorSupplier(SetOperationOp op, int input, Set<StoreBuilder<?>> stores) {
    this.op = op;
    this.input = input;
    this.stores = stores;
  }

  public static Set<StoreBuilder<?>> storesOf(SetOperationOp op) {
    return Set.of(StateStores.persistent(op.storeNames().get(0)));
  }

  public static String processorName(SetOperationOp op, int input) {
    return op.name() + "-input-" + input;
  }

  @Override
  public Set<StoreBuilder<?>> stores() {
    return stores;
  }

  @Override
  public OperatorProcessor get() {
    return new SetOperationProcessor();
  }

  private final class SetOperationProcessor extends OperatorProcessor {
    private final int[] allColumns = IntStream.range(0, op.columns().size()).toArray();
    private final int inputs = op.inputs().size();
    private KeyValueStore<Bytes, byte[]> counts;
    private Sensor negativeCounts;

    SetOperationProcessor() {
      super(op, processorName(op, input));
    }

    @Override
    protected void openOperator() {
      counts = store(op.storeNames().get(0));
      negativeCounts = TrickleMetrics.negativeCounts(context.metrics(), op.name());
    }

    @Override
    protected void onChange(Msg.Change change, Record<Object, Msg> record) {
      Bytes key = Bytes.wrap(KeyCodec.encode(change.row(), allColumns));
      byte[] stored = counts.get(key);
      long[] c = new long[inputs];
      Object[] shown = change.row();
      if (stored != null) {
        ByteReader r = new ByteReader(stored);
        for (int i = 0; i < inputs; i++) {
          c[i] = r.readLong();
        }
        shown = RowCodec.readRow(r);
      }
      long oldMultiplicity = op.setKind().multiplicity(c);
      Object[] oldShown = shown;
      boolean leftmostAppears = c[input] <= 0 && IntStream.range(0, input).allMatch(i -> c[i] <= 0);
      c[input] += change.weight();
      if (c[input] < 0) {
        negativeCounts.record();
      }
      if (leftmostAppears && c[input] > 0) {
        shown = change.row();
      }
      long newMultiplicity = op.setKind().multiplicity(c);
      if (Arrays.stream(c).allMatch(x -> x == 0)) {
        counts.delete(key);
      } else {
        ByteWriter w = new ByteWriter(64 + 8 * inputs);
        for (long x : c) {
          w.writeLong(x);
        }
        RowCodec.writeRow(w, shown);
        counts.put(key, w.toByteArray());
      }
      if (Arrays.equals(RowCodec.encode(oldShown), RowCodec.encode(shown))) {
        emit(record, shown, newMultiplicity - oldMultiplicity);
      } else {
        emit(record, oldShown, -oldMultiplicity);
        emit(record, shown, newMultiplicity);
      }
    }
  }
}
