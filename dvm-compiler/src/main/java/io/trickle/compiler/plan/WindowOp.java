package io.trickle.compiler.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Window functions of one window specification (PARTITION BY {@link #partitionKeys()} ORDER BY
 * {@link #orderKeys()}). Output columns: the input columns, then one column per call. A change
 * re-evaluates only its partition (kept in state) and emits the difference between the
 * partition's old and new output rows. Rows that tie on every ORDER BY key are ordered by their
 * whole value, so ROW_NUMBER and ROWS frames are deterministic where PostgreSQL's are arbitrary.
 */
public final class WindowOp extends Op implements Stateful {
  private final List<Integer> partitionKeys;
  private final List<SortKey> orderKeys;
  private final List<WindowCall> calls;

  public WindowOp(int id, SqlPos pos, Op input, List<Integer> partitionKeys,
      List<SortKey> orderKeys, List<WindowCall> calls) {
    super(id, pos, columnsOf(input, calls), input.key().unique() ? input.key() : RowKey.ROW_HASH,
        List.of(input));
    this.partitionKeys = List.copyOf(Objects.requireNonNull(partitionKeys, "partitionKeys"));
    this.orderKeys = List.copyOf(Objects.requireNonNull(orderKeys, "orderKeys"));
    this.calls = List.copyOf(Objects.requireNonNull(calls, "calls"));
    if (calls.isEmpty()) {
      throw new IllegalArgumentException("a window operator computes at least one function");
    }
  }

  private static List<Column> columnsOf(Op input, List<WindowCall> calls) {
    List<Column> columns = new ArrayList<>(input.columns());
    for (WindowCall c : calls) {
      columns.add(new Column(c.name(), c.type()));
    }
    return columns;
  }

  public Op input() {
    return inputs().get(0);
  }

  public List<Integer> partitionKeys() {
    return partitionKeys;
  }

  public List<SortKey> orderKeys() {
    return orderKeys;
  }

  public List<WindowCall> calls() {
    return calls;
  }

  @Override
  public String kind() {
    return "window";
  }

  @Override
  public String describe() {
    return "partition by " + partitionKeys.stream().map(i -> "$" + i).toList() + " order by "
        + orderKeys + " calls " + calls;
  }

  /** One store: [partition key][row] → multiplicity. */
  @Override
  public List<String> storeNames() {
    return List.of(name() + "-rows");
  }

  @Override
  public <R> R accept(OpVisitor<R> visitor) {
    return visitor.visitWindow(this);
  }
}
