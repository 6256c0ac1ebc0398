package io.trickle.compiler.plan;

import io.trickle.compiler.expr.Expr;
import java.util.List;
import java.util.Objects;

/** Computes {@link #exprs()} over each changed row; the weight is unchanged. */
public final class ProjectOp extends Op implements Linear {
  private final List<Expr> exprs;

  public ProjectOp(int id, SqlPos pos, Op input, List<Expr> exprs, List<Column> columns, RowKey key) {
    super(id, pos, columns, key, List.of(input));
    this.exprs = List.copyOf(Objects.requireNonNull(exprs, "exprs"));
    if (exprs.size() != columns.size()) {
      throw new IllegalArgumentException("one expression per output column");
    }
  }

  public Op input() {
    return inputs().get(0);
  }

  public List<Expr> exprs() {
    return exprs;
  }

  @Override
  public String kind() {
    return "project";
  }

  @Override
  public String describe() {
    return exprs.toString();
  }

  @Override
  public <R> R accept(OpVisitor<R> visitor) {
    return visitor.visitProject(this);
  }
}
