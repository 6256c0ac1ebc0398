package io.trickle.compiler.plan;

import java.util.Objects;

/**
 * One aggregate of an {@link AggregateOp}. {@code arg} is the input column, or -1 for
 * {@code COUNT(*)}. {@code type} is the result type as PostgreSQL derives it (SUM(int) is bigint,
 * SUM(bigint) and AVG(int) are numeric, ...).
 */
public record AggCall(Kind kind, int arg, ColumnType type, String name) {
  public enum Kind {
    COUNT_STAR, COUNT, SUM, AVG, MIN, MAX,
    /**
     * The value of a scalar subquery's only row: NULL over no rows, an error (PostgreSQL's
     * "more than one row returned by a subquery used as an expression") over several.
     */
    SINGLE_VALUE;

    /**
     * MIN, MAX and SINGLE_VALUE keep a sorted multiset per group (SINGLE_VALUE to find the row
     * left when a second one is retracted); the others are running sums.
     */
    public boolean needsSortedState() {
      return this == MIN || this == MAX || this == SINGLE_VALUE;
    }
  }

  public AggCall {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    if ((kind == Kind.COUNT_STAR) != (arg < 0)) {
      throw new IllegalArgumentException("COUNT(*) alone has no argument");
    }
  }

  @Override
  public String toString() {
    return kind == Kind.COUNT_STAR ? "COUNT(*)" : kind + "($" + arg + ")";
  }
}
