package io.trickle.compiler.expr;

import io.trickle.compiler.plan.ColumnType;

/**
 * Scalar expression IR. Immutable, printable, free of Calcite and Kafka types, so a Plan can be
 * stored and shipped. Evaluate with {@link Evaluator#compile(Expr)}.
 */
public sealed interface Expr permits Expr.ColumnRef, Expr.Literal, Expr.Call {

  ColumnType type();

  <R> R accept(ExprVisitor<R> visitor);

  /** A reference to input column {@code index}. */
  record ColumnRef(int index, ColumnType type) implements Expr {
    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
      return visitor.visitColumnRef(this);
    }

    @Override
    public String toString() {
      return "$" + index;
    }
  }

  /** A constant; {@code value} uses the runtime class of {@code type.kind()}, or is null. */
  record Literal(Object value, ColumnType type) implements Expr {
    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
      return visitor.visitLiteral(this);
    }

    @Override
    public String toString() {
      return value == null ? "NULL" : value instanceof String s ? "'" + s + "'" : value.toString();
    }
  }

  /**
   * An operator application. Argument layout per operator is documented on {@link Operator}.
   * {@code type} is the result type, which for arithmetic decides the domain (integer with
   * overflow check, exact numeric, or double).
   */
  record Call(Operator op, java.util.List<Expr> args, ColumnType type) implements Expr {
    public Call {
      args = java.util.List.copyOf(args);
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
      return visitor.visitCall(this);
    }

    @Override
    public String toString() {
      return op.name() + args;
    }
  }
}
