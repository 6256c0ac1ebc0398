package io.trickle.compiler.expr;

/** Compiles {@link Expr} trees into closures. Stateless. */
public final class Evaluator {
  private Evaluator() {}

  /**
   * @throws IllegalArgumentException when the expression is ill-typed or uses an operator/type
   *     combination that is not supported (for example date arithmetic)
   */
  public static CompiledExpr compile(Expr expr) {
    return expr.accept(ExprCompiler.INSTANCE);
  }

  /** Three-valued predicate: true only when the expression is TRUE (NULL and FALSE reject). */
  public static java.util.function.Predicate<Object[]> predicate(Expr expr) {
    CompiledExpr c = compile(expr);
    return row -> Boolean.TRUE.equals(c.eval(row));
  }
}
