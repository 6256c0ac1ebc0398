package io.trickle.topology.processor;

import io.trickle.compiler.expr.EvalException;
import io.trickle.compiler.expr.Evaluator;
import io.trickle.compiler.plan.JoinOp;
import io.trickle.topology.state.ByteReader;
import io.trickle.topology.state.ByteWriter;
import io.trickle.topology.state.KeyCodec;
import io.trickle.topology.state.RowCodec;
import io.trickle.topology.state.StateStores;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * One side of an inner equi-join: processor {@code join-N-left} or {@code join-N-right}. Both
 * share the stores {@code join-N-left} and {@code join-N-right}, each an index of its side's
 * Z-set: key = [4-byte length][join key][row], value = multiplicity. The row itself (not just its
 * row key) ends the store key, so the index stays an exact Z-set even if a +new reaches it before
 * the matching −old. A change updates its own side, then prefix-scans the other side by join key
 * and emits {@code left ++ right} with weight {@code w * m} (ΔA⋈B + A'⋈ΔB).
 */
public final class JoinProcessorSupplier implements ProcessorSupplier<Object, Msg, Object, Msg> {
  /** Which input this processor reads. */
  public enum Side {
    LEFT, RIGHT;

    public String suffix() {
      return this == LEFT ? "-left" : "-right";
    }
  }

  private final JoinOp op;
  private final Side side;
  private final Set<StoreBuilder<?>> stores;
  private final Predicate<Object[]> residual;

  /** @param stores the two shared store builders, the same instances for both sides */
  public JoinProcessorSupplier(JoinOp op, Side side, Set<StoreBuilder<?>> stores) {
    this.op = op;
    this.side = side;
    this.stores = stores;
    this.residual = op.residual() == null ? null : Evaluator.predicate(op.residual());
  }

  public static String processorName(JoinOp op, Side side) {
    return op.name() + side.suffix();
  }

  public static Set<StoreBuilder<?>> storesOf(JoinOp op) {
    return Set.of(StateStores.persistent(op.storeNames().get(0)),
        StateStores.persistent(op.storeNames().get(1)));
  }

  @Override
  public Set<StoreBuilder<?>> stores() {
    return stores;
  }

  @Override
  public OperatorProcessor get() {
    return new JoinProcessor();
  }

  private final class JoinProcessor extends OperatorProcessor {
    private final int[] ownKeys = KeyCodec.toArray(side == Side.LEFT ? op.leftKeys() : op.rightKeys());
    private KeyValueStore<Bytes, byte[]> own;
    private KeyValueStore<Bytes, byte[]> other;

    JoinProcessor() {
      super(op, processorName(op, side));
    }

    @Override
    protected void openOperator() {
      own = store(op.storeNames().get(side == Side.LEFT ? 0 : 1));
      other = store(op.storeNames().get(side == Side.LEFT ? 1 : 0));
    }

    @Override
    protected void onChange(Msg.Change change, Record<Object, Msg> record) {
      byte[] joinKey = KeyCodec.encodeNullRejecting(change.row(), ownKeys);
      if (joinKey == null) {
        return; // NULL = anything is never true: this row can never join
      }
      byte[] prefix = new ByteWriter(joinKey.length + 4).writeLengthPrefixed(joinKey).toByteArray();
      Bytes key = Bytes.wrap(new ByteWriter(prefix.length + 64).writeBytes(prefix)
          .writeBytes(RowCodec.encode(change.row())).toByteArray());
      byte[] stored = own.get(key);
      long count = (stored == null ? 0 : StateStores.readLong(stored)) + change.weight();
      if (count == 0) {
        own.delete(key);
      } else {
        own.put(key, StateStores.longBytes(count));
      }

      List<KeyValue<Bytes, byte[]>> matches = new ArrayList<>();
      try (KeyValueIterator<Bytes, byte[]> it = other.prefixScan(Bytes.wrap(prefix), new BytesSerializer())) {
        it.forEachRemaining(matches::add);
      }
      for (KeyValue<Bytes, byte[]> match : matches) {
        byte[] k = match.key.get();
        Object[] otherRow = RowCodec.decode(k, prefix.length, k.length - prefix.length);
        Object[] joined = side == Side.LEFT ? concat(change.row(), otherRow) : concat(otherRow, change.row());
        try {
          if (residual != null && !residual.test(joined)) {
            continue;
          }
        } catch (EvalException e) {
          reportError(record, e, joined, op.columns());
          continue;
        }
        emit(record, joined, change.weight() * new ByteReader(match.value).readLong());
      }
    }

    private Object[] concat(Object[] left, Object[] right) {
      Object[] out = new Object[left.length + right.length];
      System.arraycopy(left, 0, out, 0, left.length);
      System.arraycopy(right, 0, out, left.length, right.length);
      return out;
    }
  }
}
