package io.trickle.compiler.plan;

import java.util.List;
import java.util.Objects;

/**
 * GROUP BY {@link #groupKeys()} with {@link #aggs()}. Output columns: the group columns, then
 * one column per aggregate. A change to a group emits −old row then +new row. With no group
 * keys it is a global aggregate: exactly one row, even over empty input.
 *
 * <p>With several {@link #groupSets()} (GROUPING SETS, ROLLUP, CUBE) every input row updates one
 * group per set; a group column outside the set is NULL in that set's rows. Such output can hold
 * equal rows from different sets, so it is keyed by row hash. The empty set is a global group.
 */
public final class AggregateOp extends Op implements Stateful {
  private final List<Integer> groupKeys;
  private final List<AggCall> aggs;
  private final List<List<Integer>> groupSets;

  public AggregateOp(int id, SqlPos pos, Op input, List<Integer> groupKeys, List<AggCall> aggs,
      List<Column> columns) {
    this(id, pos, input, groupKeys, List.of(allPositions(groupKeys)), aggs, columns);
  }

  /**
   * @param groupSets each grouping set as positions into {@code groupKeys} (ascending); one set
   *     holding every position is a plain GROUP BY
   */
  public AggregateOp(int id, SqlPos pos, Op input, List<Integer> groupKeys,
      List<List<Integer>> groupSets, List<AggCall> aggs, List<Column> columns) {
    super(id, pos, columns, keyOf(groupKeys, groupSets), List.of(input));
    this.groupKeys = List.copyOf(Objects.requireNonNull(groupKeys, "groupKeys"));
    this.aggs = List.copyOf(Objects.requireNonNull(aggs, "aggs"));
    this.groupSets = Objects.requireNonNull(groupSets, "groupSets").stream().map(List::copyOf)
        .toList();
    if (columns.size() != groupKeys.size() + aggs.size()) {
      throw new IllegalArgumentException("columns must be the group keys then the aggregates");
    }
    if (this.groupSets.isEmpty()) {
      throw new IllegalArgumentException("at least one grouping set");
    }
  }

  private static List<Integer> allPositions(List<Integer> groupKeys) {
    return java.util.stream.IntStream.range(0, groupKeys.size()).boxed().toList();
  }

  private static RowKey keyOf(List<Integer> groupKeys, List<List<Integer>> groupSets) {
    if (groupSets.size() == 1 && groupSets.get(0).equals(allPositions(groupKeys))) {
      return groupKeyOf(groupKeys);
    }
    return RowKey.ROW_HASH;
  }

  private static RowKey groupKeyOf(List<Integer> groupKeys) {
    return RowKey.of(java.util.stream.IntStream.range(0, groupKeys.size()).boxed().toList());
  }

  public Op input() {
    return inputs().get(0);
  }

  public List<Integer> groupKeys() {
    return groupKeys;
  }

  public List<AggCall> aggs() {
    return aggs;
  }

  public boolean isGlobal() {
    return groupKeys.isEmpty();
  }

  /** The grouping sets, as positions into {@link #groupKeys()}. */
  public List<List<Integer>> groupSets() {
    return groupSets;
  }

  public boolean hasGroupingSets() {
    return !keyOf(groupKeys, groupSets).unique();
  }

  @Override
  public String kind() {
    return "aggregate";
  }

  @Override
  public String describe() {
    StringBuilder sb = new StringBuilder("group by ");
    sb.append(groupKeys.isEmpty() ? "()" : groupKeys.stream().map(i -> "$" + i).toList().toString());
    if (hasGroupingSets()) {
      sb.append(" grouping sets ").append(groupSets.stream()
          .map(set -> set.stream().map(p -> "$" + groupKeys.get(p)).toList()).toList());
    }
    sb.append(" aggs ").append(aggs);
    return sb.toString();
  }

  @Override
  public List<String> storeNames() {
    // MIN/MAX, DISTINCT and STRING_AGG all keep per-group multisets of values in one store.
    // "-epoch": the groups changed in the open epoch, with the row each had before it.
    boolean sorted = aggs.stream().anyMatch(a -> a.kind().needsSortedState() || a.needsValueSet());
    return sorted ? List.of(name() + "-groups", name() + "-sorted", name() + "-epoch")
        : List.of(name() + "-groups", name() + "-epoch");
  }

  @Override
  public <R> R accept(OpVisitor<R> visitor) {
    return visitor.visitAggregate(this);
  }
}
