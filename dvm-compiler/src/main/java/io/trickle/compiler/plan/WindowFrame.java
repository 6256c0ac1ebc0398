package io.trickle.compiler.plan;

import java.util.List;
import java.util.Objects;

/**
 * A window frame: ROWS counts rows from the current one; RANGE without an offset reaches the
 * first or last peer (rows equal on every ORDER BY key); RANGE with an offset reaches the rows
 * whose single ORDER BY value lies within the offset of the current row's.
 * PostgreSQL's default, {@code RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW}, is {@link
 * #DEFAULT}; without ORDER BY every row is a peer, so it spans the whole partition.
 */
public record WindowFrame(boolean rows, Bound lower, Bound upper) {
  public static final WindowFrame DEFAULT = new WindowFrame(false,
      new Bound(BoundKind.UNBOUNDED_PRECEDING, 0), new Bound(BoundKind.CURRENT_ROW, 0));

  public enum BoundKind { UNBOUNDED_PRECEDING, PRECEDING, CURRENT_ROW, FOLLOWING, UNBOUNDED_FOLLOWING }

  /**
   * {@code offset} counts rows, for PRECEDING and FOLLOWING of ROWS frames; {@code rangeOffset}
   * is the distance in ORDER BY values (Long, BigDecimal, Double or an interval) for PRECEDING
   * and FOLLOWING of RANGE frames, and null otherwise.
   */
  public record Bound(BoundKind kind, long offset, Object rangeOffset) {
    public Bound {
      Objects.requireNonNull(kind, "kind");
      if (offset < 0) {
        throw new IllegalArgumentException("frame offset must not be negative");
      }
    }

    public Bound(BoundKind kind, long offset) {
      this(kind, offset, null);
    }

    public static Bound range(BoundKind kind, Object rangeOffset) {
      return new Bound(kind, 0, Objects.requireNonNull(rangeOffset, "rangeOffset"));
    }

    boolean hasOffset() {
      return kind == BoundKind.PRECEDING || kind == BoundKind.FOLLOWING;
    }

    @Override
    public String toString() {
      return switch (kind) {
        case UNBOUNDED_PRECEDING -> "UNBOUNDED PRECEDING";
        case PRECEDING -> (rangeOffset != null ? "'" + rangeOffset + "'" : offset) + " PRECEDING";
        case CURRENT_ROW -> "CURRENT ROW";
        case FOLLOWING -> (rangeOffset != null ? "'" + rangeOffset + "'" : offset) + " FOLLOWING";
        case UNBOUNDED_FOLLOWING -> "UNBOUNDED FOLLOWING";
      };
    }
  }

  public WindowFrame {
    Objects.requireNonNull(lower, "lower");
    Objects.requireNonNull(upper, "upper");
    for (Bound b : List.of(lower, upper)) {
      if (b.hasOffset() && rows != (b.rangeOffset() == null)) {
        throw new IllegalArgumentException(rows ? "a ROWS offset counts rows"
            : "a RANGE offset is a value");
      }
    }
  }

  @Override
  public String toString() {
    return (rows ? "ROWS" : "RANGE") + " BETWEEN " + lower + " AND " + upper;
  }
}
