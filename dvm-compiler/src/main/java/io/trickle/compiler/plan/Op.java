package io.trickle.compiler.plan;

import java.util.List;
import java.util.Objects;

/**
 * A differential operator: consumes Z-set changes {@code (row, weight)} and produces Z-set
 * changes over {@link #columns()}. Immutable; no Kafka types. Every operator carries a plan-wide
 * unique {@link #id()} (used for deterministic processor and store names) and the {@link SqlPos}
 * of the SQL it came from.
 */
public abstract sealed class Op
    permits SourceOp, FilterOp, ProjectOp, JoinOp, AggregateOp, MaterializeOp, TopKOp, UnionAllOp,
        SetOperationOp, WindowOp, SetReturningOp {

  private final int id;
  private final SqlPos pos;
  private final List<Column> columns;
  private final RowKey key;
  private final List<Op> inputs;

  protected Op(int id, SqlPos pos, List<Column> columns, RowKey key, List<Op> inputs) {
    this.id = id;
    this.pos = Objects.requireNonNull(pos, "pos");
    this.columns = List.copyOf(Objects.requireNonNull(columns, "columns"));
    this.key = Objects.requireNonNull(key, "key");
    this.inputs = List.copyOf(Objects.requireNonNull(inputs, "inputs"));
  }

  public int id() {
    return id;
  }

  public SqlPos pos() {
    return pos;
  }

  public List<Column> columns() {
    return columns;
  }

  public RowKey key() {
    return key;
  }

  public List<Op> inputs() {
    return inputs;
  }

  /** Short operator kind, e.g. {@code "join"}; used in names and in {@code explain}. */
  public abstract String kind();

  /** One-line description of the operator's own parameters for {@code explain}. */
  public abstract String describe();

  public abstract <R> R accept(OpVisitor<R> visitor);

  /** Deterministic name: {@code <kind>-<id>}, e.g. {@code join-3}. */
  public String name() {
    return kind() + "-" + id;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (o == null || getClass() != o.getClass()) {
      return false;
    }
    Op other = (Op) o;
    return id == other.id && pos.equals(other.pos) && columns.equals(other.columns)
        && key.equals(other.key) && inputs.equals(other.inputs) && describe().equals(other.describe());
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, pos, columns, key, inputs, describe());
  }

  @Override
  public String toString() {
    return name() + " " + describe();
  }
}
