package io.trickle.compiler.plan;

import io.trickle.compiler.expr.Expr;
import java.util.List;
import java.util.Objects;

/** Keeps changes whose row satisfies {@link #predicate()} (TRUE only; NULL rejects). */
public final class FilterOp extends Op implements Linear {
  private final Expr predicate;

  public FilterOp(int id, SqlPos pos, Op input, Expr predicate) {
    super(id, pos, input.columns(), input.key(), List.of(input));
    this.predicate = Objects.requireNonNull(predicate, "predicate");
  }

  public Op input() {
    return inputs().get(0);
  }

  public Expr predicate() {
    return predicate;
  }

  @Override
  public String kind() {
    return "filter";
  }

  @Override
  public String describe() {
    return predicate.toString();
  }

  @Override
  public <R> R accept(OpVisitor<R> visitor) {
    return visitor.visitFilter(this);
  }
}
