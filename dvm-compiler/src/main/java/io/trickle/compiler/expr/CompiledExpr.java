package io.trickle.compiler.expr;

/** An {@link Expr} ready to run against an input row. */
@FunctionalInterface
public interface CompiledExpr {
  /**
   * @return the value in the runtime class of the expression's type, or null
   * @throws EvalException for a PostgreSQL runtime error (overflow, division by zero, bad cast)
   */
  Object eval(Object[] row);
}
