package io.trickle.compiler.plan;

import java.util.List;
import java.util.Objects;

/**
 * One aggregate of an {@link AggregateOp}. {@code arg} is the input column, or -1 for
 * {@code COUNT(*)} and {@code GROUPING(...)}. {@code type} is the result type as PostgreSQL
 * derives it (SUM(int) is bigint, SUM(bigint) and AVG(int) are numeric, ...).
 *
 * <p>{@code distinct}: the aggregate sees each distinct non-NULL value once. {@code filter}: an
 * input column of type boolean ({@code FILTER (WHERE ...)}), or -1; only rows where it is TRUE
 * are aggregated. {@code extraArgs}: STRING_AGG's delimiter column, or GROUPING's columns.
 * {@code orderBy}: the ordering inside the aggregate ({@code string_agg(x, ',' ORDER BY y)}).
 */
public record AggCall(Kind kind, int arg, ColumnType type, String name, boolean distinct,
    int filter, List<Integer> extraArgs, List<OrderKey> orderBy) {

  public enum Kind {
    COUNT_STAR, COUNT, SUM, AVG, MIN, MAX,
    /**
     * The value of a scalar subquery's only row: NULL over no rows, an error (PostgreSQL's
     * "more than one row returned by a subquery used as an expression") over several.
     */
    SINGLE_VALUE,
    /** numeric (exact) for integer and numeric input, double precision for float input. */
    STDDEV_POP, STDDEV_SAMP, VAR_POP, VAR_SAMP,
    /** counts of TRUE and non-NULL inputs per group. */
    BOOL_AND, BOOL_OR,
    /** the group's ordered multiset of (order keys, value, delimiter), rendered on change. */
    STRING_AGG,
    /**
     * the group's ordered multiset of (order keys, value), NULL values included, rendered as an
     * array on change (like STRING_AGG); NULL when no row is aggregated.
     */
    ARRAY_AGG,
    /** constant per grouping set: bit i set when the i-th argument is not grouped. */
    GROUPING;

    /**
     * MIN, MAX and SINGLE_VALUE keep a sorted multiset per group (SINGLE_VALUE to find the row
     * left when a second one is retracted); the others are running sums.
     */
    public boolean needsSortedState() {
      return this == MIN || this == MAX || this == SINGLE_VALUE;
    }

    public boolean isVariance() {
      return this == STDDEV_POP || this == STDDEV_SAMP || this == VAR_POP || this == VAR_SAMP;
    }
  }

  /** One ORDER BY key inside an aggregate; NULLs first or last as PostgreSQL resolved them. */
  public record OrderKey(int column, boolean descending, boolean nullsFirst) {
    @Override
    public String toString() {
      return "$" + column + (descending ? " DESC" : "") + (nullsFirst != descending
          ? (nullsFirst ? " NULLS FIRST" : " NULLS LAST") : "");
    }
  }

  public AggCall {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    extraArgs = List.copyOf(Objects.requireNonNull(extraArgs, "extraArgs"));
    orderBy = List.copyOf(Objects.requireNonNull(orderBy, "orderBy"));
    boolean noArg = kind == Kind.COUNT_STAR || kind == Kind.GROUPING;
    if (noArg != (arg < 0)) {
      throw new IllegalArgumentException("COUNT(*) and GROUPING() alone have no argument");
    }
    if (kind == Kind.STRING_AGG && extraArgs.size() != 1) {
      throw new IllegalArgumentException("STRING_AGG has a value and a delimiter");
    }
  }

  /** A plain aggregate: no DISTINCT, FILTER or ORDER BY. */
  public AggCall(Kind kind, int arg, ColumnType type, String name) {
    this(kind, arg, type, name, false, -1, List.of(), List.of());
  }

  /** Keeps, per group, a multiset of values with counts (DISTINCT, or an ordered STRING_AGG). */
  public boolean needsValueSet() {
    return kind == Kind.STRING_AGG || kind == Kind.ARRAY_AGG
        || (distinct && !kind.needsSortedState());
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(kind == Kind.COUNT_STAR ? "COUNT" : kind.name()).append('(');
    if (distinct) {
      sb.append("DISTINCT ");
    }
    if (kind == Kind.COUNT_STAR) {
      sb.append('*');
    } else if (kind == Kind.GROUPING) {
      sb.append(String.join(", ", extraArgs.stream().map(i -> "$" + i).toList()));
    } else {
      sb.append('$').append(arg);
      for (int e : extraArgs) {
        sb.append(", $").append(e);
      }
    }
    if (!orderBy.isEmpty()) {
      sb.append(" ORDER BY ").append(String.join(", ",
          orderBy.stream().map(OrderKey::toString).toList()));
    }
    sb.append(')');
    if (filter >= 0) {
      sb.append(" FILTER $").append(filter);
    }
    return sb.toString();
  }
}
