package io.trickle.compiler.expr;

/** Typed dispatch over {@link Expr}: a new node kind fails to compile until every visitor has it. */
public interface ExprVisitor<R> {
  R visitColumnRef(Expr.ColumnRef ref);

  R visitLiteral(Expr.Literal literal);

  R visitCall(Expr.Call call);
}
