package io.trickle.compiler.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * ORDER BY ... LIMIT/OFFSET (and DISTINCT ON): per partition of {@link #partitionKeys()} (the
 * whole input is one partition when empty), the rows at positions [{@link #offset()}, offset +
 * {@link #limit()}) of the order given by {@link #sortKeys()}. Output columns and key are the
 * input's: the output is a subset of the input. Rows with equal sort keys are ordered by their
 * exact encoding, a deterministic but otherwise arbitrary tie-break, as PostgreSQL's is. A limit
 * of {@link #NO_LIMIT} is OFFSET without LIMIT: every row from position offset on.
 */
public final class TopKOp extends Op implements Stateful {
  /** The limit of OFFSET m without LIMIT. */
  public static final long NO_LIMIT = Long.MAX_VALUE;

  /** One ORDER BY item; NULLs sort as larger than every value unless {@code nullsFirst} says. */
  public record SortKey(int column, boolean descending, boolean nullsFirst) {
    /** PostgreSQL's default: NULLS LAST for ASC, NULLS FIRST for DESC. */
    public static SortKey of(int column, boolean descending) {
      return new SortKey(column, descending, descending);
    }

    @Override
    public String toString() {
      return "$" + column + (descending ? " desc" : "") + (nullsFirst != descending
          ? (nullsFirst ? " nulls first" : " nulls last") : "");
    }
  }

  private final List<Integer> partitionKeys;
  private final List<SortKey> sortKeys;
  private final long offset;
  private final long limit;

  public TopKOp(int id, SqlPos pos, Op input, List<Integer> partitionKeys, List<SortKey> sortKeys,
      long offset, long limit) {
    super(id, pos, input.columns(), input.key(), List.of(input));
    this.partitionKeys = List.copyOf(Objects.requireNonNull(partitionKeys, "partitionKeys"));
    this.sortKeys = List.copyOf(Objects.requireNonNull(sortKeys, "sortKeys"));
    this.offset = offset;
    this.limit = limit;
    if (offset < 0 || limit < 0) {
      throw new IllegalArgumentException("offset and limit must not be negative");
    }
  }

  public Op input() {
    return inputs().get(0);
  }

  public List<Integer> partitionKeys() {
    return partitionKeys;
  }

  public List<SortKey> sortKeys() {
    return sortKeys;
  }

  public long offset() {
    return offset;
  }

  public long limit() {
    return limit;
  }

  @Override
  public String kind() {
    return "topk";
  }

  @Override
  public String describe() {
    List<String> parts = new ArrayList<>();
    if (!partitionKeys.isEmpty()) {
      parts.add("partition by " + partitionKeys.stream().map(i -> "$" + i).toList());
    }
    parts.add("order by " + sortKeys);
    if (offset > 0) {
      parts.add("offset " + offset);
    }
    if (limit != NO_LIMIT) {
      parts.add("limit " + limit);
    }
    return String.join(" ", parts);
  }

  @Override
  public List<String> storeNames() {
    return List.of(name() + "-sorted");
  }

  @Override
  public <R> R accept(OpVisitor<R> visitor) {
    return visitor.visitTopK(this);
  }
}
