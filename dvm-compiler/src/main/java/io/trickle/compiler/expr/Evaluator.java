package io.trickle.compiler.expr;

/** Compiles {@link Expr} trees into closures. Stateless. */
public final class Evaluator {
  private Evaluator() {}

  public static CompiledExpr compile(Expr expr) {
    throw new UnsupportedOperationException("TODO: implemented by the expression work");
  }

  /** Three-valued predicate: true only when the expression is TRUE (NULL and FALSE reject). */
  public static java.util.function.Predicate<Object[]> predicate(Expr expr) {
    CompiledExpr c = compile(expr);
    return row -> Boolean.TRUE.equals(c.eval(row));
  }
}
