package io.trickle.topology.processor;

import io.trickle.compiler.expr.EvalException;
import io.trickle.compiler.expr.Evaluator;
import io.trickle.compiler.plan.JoinOp;
import io.trickle.compiler.plan.JoinOp.JoinKind;
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
 * One side of an equi-join of any {@link JoinKind}: processor {@code join-N-left} or
 * {@code join-N-right}. Both share the stores {@code join-N-left} and {@code join-N-right}, each
 * an index of its side's Z-set: key = [4-byte length][join key][row], value = multiplicity, and
 * for a side whose rows need to know whether they have a match (the preserved side of an outer
 * join, the left side of a semi- or anti-join) also the row's match count: the summed
 * multiplicity of the other side's rows with its join key that pass the residual. The row itself
 * (not just its row key) ends the store key, so the index stays an exact Z-set even if a +new
 * reaches it before the matching −old.
 *
 * <p>A change prefix-scans the other side by join key and emits {@code left ++ right} with weight
 * {@code w * m} for each passing row (ΔA⋈B + A'⋈ΔB). Besides its pairs, a row contributes a
 * "solo" row that depends only on whether its match count is zero: the NULL-padded row of an
 * outer join's preserved side while unmatched, the left row of a semi-join while matched, of an
 * anti-join while unmatched. The output is therefore always Σ pairs + Σ m·solo(matched), and each
 * change emits exactly the difference: its own solo row, and −old/+new solo rows of the
 * other-side rows whose count crossed zero. A NULL join key never matches, so such a row only
 * ever contributes its unmatched solo row and is not stored.
 */
public final class JoinProcessorSupplier implements ProcessorSupplier<Object, Msg, Object, Msg> {
  /** Which input this processor reads. */
  public enum Side {
    LEFT, RIGHT;

    public String suffix() {
      return this == LEFT ? "-left" : "-right";
    }

    Side other() {
      return this == LEFT ? RIGHT : LEFT;
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
    Set<StoreBuilder<?>> stores = new java.util.HashSet<>();
    for (String name : op.storeNames()) {
      stores.add(StateStores.persistent(name));
    }
    return stores;
  }

  @Override
  public Set<StoreBuilder<?>> stores() {
    return stores;
  }

  @Override
  public OperatorProcessor get() {
    return new JoinProcessor();
  }

  private boolean counts(Side s) {
    return s == Side.LEFT ? op.joinKind().countsLeftMatches() : op.joinKind().countsRightMatches();
  }

  private final class JoinProcessor extends OperatorProcessor {
    private final JoinKind kind = op.joinKind();
    private final int[] ownKeys = KeyCodec.toArray(side == Side.LEFT ? op.leftKeys() : op.rightKeys());
    private final int leftWidth = op.left().columns().size();
    private final int rightWidth = op.right().columns().size();
    private final boolean ownCounts = counts(side);
    private final boolean otherCounts = counts(side.other());
    private final boolean deferred = op.defers(side == Side.LEFT);
    private KeyValueStore<Bytes, byte[]> own;
    private KeyValueStore<Bytes, byte[]> other;
    /** A deferred side's net changes of the open epoch: encoded row → summed weight. */
    private KeyValueStore<Bytes, byte[]> pending;

    JoinProcessor() {
      super(op, processorName(op, side));
    }

    @Override
    protected void openOperator() {
      own = store(op.storeNames().get(side == Side.LEFT ? 0 : 1));
      other = store(op.storeNames().get(side == Side.LEFT ? 1 : 0));
      if (deferred) {
        pending = store(op.pendingStoreName());
      }
    }

    @Override
    protected void onChange(Msg.Change change, Record<Object, Msg> record) {
      if (deferred) {
        Bytes key = Bytes.wrap(RowCodec.encode(change.row()));
        byte[] stored = pending.get(key);
        long w = (stored == null ? 0 : StateStores.readLong(stored)) + change.weight();
        if (w == 0) {
          pending.delete(key);
        } else {
          pending.put(key, StateStores.longBytes(w));
        }
        return;
      }
      apply(change.row(), change.weight(), record);
    }

    /** The deferred side applies its epoch's net changes, then passes the marker on. */
    @Override
    protected void onMarker(Msg.Marker marker, Record<Object, Msg> record) {
      if (deferred) {
        List<KeyValue<Bytes, byte[]>> changes = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = StateStores.scans(pending).all()) {
          it.forEachRemaining(changes::add);
        }
        for (KeyValue<Bytes, byte[]> c : changes) {
          pending.delete(c.key);
          apply(RowCodec.decode(c.key.get()), StateStores.readLong(c.value), record);
        }
      }
      super.onMarker(marker, record);
    }

    private void apply(Object[] row, long w, Record<Object, Msg> record) {
      byte[] joinKey = KeyCodec.encodeNullRejecting(row, ownKeys);
      if (joinKey == null) {
        // NULL = anything is never true: this row can never join, only its unmatched solo row counts.
        emitSolo(record, row, side, false, w);
        return;
      }
      byte[] prefix = new ByteWriter(joinKey.length + 4).writeLengthPrefixed(joinKey).toByteArray();

      List<KeyValue<Bytes, byte[]>> candidates = new ArrayList<>();
      try (KeyValueIterator<Bytes, byte[]> it = StateStores.scans(other).prefixScan(Bytes.wrap(prefix), new BytesSerializer())) {
        it.forEachRemaining(candidates::add);
      }
      long matches = 0;
      for (KeyValue<Bytes, byte[]> candidate : candidates) {
        byte[] k = candidate.key.get();
        Object[] otherRow = RowCodec.decode(k, prefix.length, k.length - prefix.length);
        Object[] joined = side == Side.LEFT ? concat(row, otherRow) : concat(otherRow, row);
        if (!passes(record, joined)) {
          continue;
        }
        ByteReader value = new ByteReader(candidate.value);
        long otherMultiplicity = value.readLong();
        matches += otherMultiplicity;
        if (!kind.leftOnly()) {
          emit(record, joined, w * otherMultiplicity);
        }
        if (otherCounts) {
          long before = value.readLong();
          long after = before + w;
          other.put(candidate.key, entry(otherMultiplicity, after));
          if ((before != 0) != (after != 0)) {
            emitSolo(record, otherRow, side.other(), before != 0, -otherMultiplicity);
            emitSolo(record, otherRow, side.other(), after != 0, otherMultiplicity);
          }
        }
      }

      Bytes key = Bytes.wrap(new ByteWriter(prefix.length + 64).writeBytes(prefix)
          .writeBytes(RowCodec.encode(row)).toByteArray());
      byte[] stored = own.get(key);
      long multiplicity = (stored == null ? 0 : StateStores.readLong(stored)) + w;
      if (multiplicity == 0) {
        own.delete(key);
      } else {
        own.put(key, ownCounts ? entry(multiplicity, matches) : StateStores.longBytes(multiplicity));
      }
      emitSolo(record, row, side, matches != 0, w);
    }

    private boolean passes(Record<Object, Msg> record, Object[] joined) {
      if (residual == null) {
        return true;
      }
      try {
        return residual.test(joined);
      } catch (EvalException e) {
        // PostgreSQL would fail the query; report it and treat the pair as not matching.
        reportError(record, e, joined, op.columns());
        return false;
      }
    }

    /**
     * Emits {@code weight} copies of what a {@code rowSide} row contributes besides its pairs:
     * the padded row of an unmatched preserved-side row, the left row of a matched semi-join or
     * an unmatched anti-join row, or nothing.
     */
    private void emitSolo(Record<Object, Msg> record, Object[] row, Side rowSide, boolean matched,
        long weight) {
      Object[] solo = null;
      if (kind.leftOnly()) {
        if (rowSide == Side.LEFT && matched == (kind == JoinKind.SEMI)) {
          solo = row;
        }
      } else if (!matched && (rowSide == Side.LEFT ? kind.preservesLeft() : kind.preservesRight())) {
        solo = rowSide == Side.LEFT ? concat(row, new Object[rightWidth])
            : concat(new Object[leftWidth], row);
      }
      if (solo != null) {
        emit(record, solo, weight);
      }
    }

    private byte[] entry(long multiplicity, long matches) {
      return new ByteWriter(16).writeLong(multiplicity).writeLong(matches).toByteArray();
    }

    private Object[] concat(Object[] left, Object[] right) {
      Object[] out = new Object[left.length + right.length];
      System.arraycopy(left, 0, out, 0, left.length);
      System.arraycopy(right, 0, out, left.length, right.length);
      return out;
    }
  }
}
