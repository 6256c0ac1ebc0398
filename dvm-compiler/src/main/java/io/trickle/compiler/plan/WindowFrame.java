package io.trickle.compiler.plan;

import java.util.Objects;

/**
 * A window frame: ROWS counts rows from the current one; RANGE without an offset reaches the
 * first or last peer (rows equal on every ORDER BY key). RANGE with an offset is not supported.
 * PostgreSQL's default, {@code RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW}, is {@link
 * #DEFAULT}; without ORDER BY every row is a peer, so it spans the whole partition.
 */
public record WindowFrame(boolean rows, Bound lower, Bound upper) {
  public static final WindowFrame DEFAULT = new WindowFrame(false,
      new Bound(BoundKind.UNBOUNDED_PRECEDING, 0), new Bound(BoundKind.CURRENT_ROW, 0));

  public enum BoundKind { UNBOUNDED_PRECEDING, PRECEDING, CURRENT_ROW, FOLLOWING, UNBOUNDED_FOLLOWING }

  /** {@code offset} counts rows, for PRECEDING and FOLLOWING (ROWS frames) only. */
  public record Bound(BoundKind kind, long offset) {
    public Bound {
      Objects.requireNonNull(kind, "kind");
      if (offset < 0) {
        throw new IllegalArgumentException("frame offset must not be negative");
      }
    }

    @Override
    public String toString() {
      return switch (kind) {
        case UNBOUNDED_PRECEDING -> "UNBOUNDED PRECEDING";
        case PRECEDING -> offset + " PRECEDING";
        case CURRENT_ROW -> "CURRENT ROW";
        case FOLLOWING -> offset + " FOLLOWING";
        case UNBOUNDED_FOLLOWING -> "UNBOUNDED FOLLOWING";
      };
    }
  }

  public WindowFrame {
    Objects.requireNonNull(lower, "lower");
    Objects.requireNonNull(upper, "upper");
    if (!rows && (lower.kind() == BoundKind.PRECEDING || lower.kind() == BoundKind.FOLLOWING
        || upper.kind() == BoundKind.PRECEDING || upper.kind() == BoundKind.FOLLOWING)) {
      throw new IllegalArgumentException("RANGE frames with an offset are not supported");
    }
  }

  @Override
  public String toString() {
    return (rows ? "ROWS" : "RANGE") + " BETWEEN " + lower + " AND " + upper;
  }
}
