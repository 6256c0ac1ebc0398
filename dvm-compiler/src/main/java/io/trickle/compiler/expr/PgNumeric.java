package io.trickle.compiler.expr;

import java.math.BigDecimal;

/** PostgreSQL's numeric arithmetic where it differs from BigDecimal's defaults. */
public final class PgNumeric {
  private PgNumeric() {}

  /**
   * numeric / numeric with PostgreSQL's result scale ({@code select_div_scale} in numeric.c:
   * at least 16 significant digits, never fewer decimals than either input), rounded half away
   * from zero.
   *
   * @throws EvalException 22012 on division by zero
   */
  public static BigDecimal divide(BigDecimal dividend, BigDecimal divisor) {
    throw new UnsupportedOperationException("TODO: implemented by the expression work");
  }
}
