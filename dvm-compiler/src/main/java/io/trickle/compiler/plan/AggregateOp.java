package io.trickle.compiler.plan;

import java.util.List;
import java.util.Objects;

/**
 * GROUP BY {@link #groupKeys()} with {@link #aggs()}. Output columns: the group columns, then
 * one column per aggregate. A change to a group emits −old row then +new row. With no group
 * keys it is a global aggregate: exactly one row, even over empty input.
 */
public final class AggregateOp extends Op implements Stateful {
  private final List<Integer> groupKeys;
  private final List<AggCall> aggs;

  public AggregateOp(int id, SqlPos pos, Op input, List<Integer> groupKeys, List<AggCall> aggs,
      List<Column> columns) {
    super(id, pos, columns, groupKeyOf(groupKeys), List.of(input));
    this.groupKeys = List.copyOf(Objects.requireNonNull(groupKeys, "groupKeys"));
    this.aggs = List.copyOf(Objects.requireNonNull(aggs, "aggs"));
    if (columns.size() != groupKeys.size() + aggs.size()) {
      throw new IllegalArgumentException("columns must be the group keys then the aggregates");
    }
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

  @Override
  public String kind() {
    return "aggregate";
  }

  @Override
  public String describe() {
    StringBuilder sb = new StringBuilder("group by ");
    sb.append(groupKeys.isEmpty() ? "()" : groupKeys.stream().map(i -> "$" + i).toList().toString());
    sb.append(" aggs ").append(aggs);
    return sb.toString();
  }

  @Override
  public List<String> storeNames() {
    boolean sorted = aggs.stream().anyMatch(a -> a.kind().needsSortedState());
    return sorted ? List.of(name() + "-groups", name() + "-sorted") : List.of(name() + "-groups");
  }

  @Override
  public <R> R accept(OpVisitor<R> visitor) {
    return visitor.visitAggregate(this);
  }
}
