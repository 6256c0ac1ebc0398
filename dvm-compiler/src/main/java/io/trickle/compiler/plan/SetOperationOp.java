package io.trickle.compiler.plan;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * UNION, INTERSECT [ALL] and EXCEPT [ALL] over n inputs (left-associative, as SQL reads them).
 * Rows compare as in PostgreSQL's set operations: NULLs are equal to each other. State per row:
 * its multiplicity in every input; the output multiplicity is a function of those counts
 * ({@link Kind#multiplicity}), so a change re-derives one row. Output identified by row hash.
 */
public final class SetOperationOp extends Op implements Stateful {
  /** The set operation and how its output multiplicity follows from the inputs' counts. */
  public enum Kind {
    UNION, INTERSECT, INTERSECT_ALL, EXCEPT, EXCEPT_ALL;

    /** Output multiplicity of a row that occurs {@code counts[i]} times in input i. */
    public long multiplicity(long[] counts) {
      return switch (this) {
        case UNION -> {
          for (long c : counts) {
            if (c > 0) {
              yield 1;
            }
          }
          yield 0;
        }
        case INTERSECT, INTERSECT_ALL -> {
          long min = Long.MAX_VALUE;
          for (long c : counts) {
            min = Math.min(min, Math.max(c, 0));
          }
          yield this == INTERSECT ? Math.min(min, 1) : min;
        }
        case EXCEPT -> {
          boolean inRest = false;
          for (int i = 1; i < counts.length; i++) {
            inRest |= counts[i] > 0;
          }
          yield counts[0] > 0 && !inRest ? 1 : 0;
        }
        case EXCEPT_ALL -> {
          long m = counts[0];
          for (int i = 1; i < counts.length; i++) {
            m -= Math.max(counts[i], 0);
          }
          yield Math.max(m, 0);
        }
      };
    }

    public String sql() {
      return name().replace('_', ' ');
    }
  }

  private final Kind setKind;

  public SetOperationOp(int id, SqlPos pos, Kind setKind, List<Op> inputs, List<Column> columns) {
    super(id, pos, columns, RowKey.ROW_HASH, inputs);
    this.setKind = Objects.requireNonNull(setKind, "setKind");
    if (inputs.size() < 2) {
      throw new IllegalArgumentException("a set operation needs at least two inputs");
    }
    for (Op in : inputs) {
      if (in.columns().size() != columns.size()) {
        throw new IllegalArgumentException("every " + setKind.sql() + " input needs "
            + columns.size() + " columns");
      }
    }
  }

  public Kind setKind() {
    return setKind;
  }

  @Override
  public String kind() {
    return "setop";
  }

  @Override
  public String describe() {
    return setKind.sql().toLowerCase(Locale.ROOT) + " of " + inputs().size() + " inputs";
  }

  @Override
  public List<String> storeNames() {
    return List.of(name() + "-counts");
  }

  @Override
  public <R> R accept(OpVisitor<R> visitor) {
    return visitor.visitSetOperation(this);
  }
}
