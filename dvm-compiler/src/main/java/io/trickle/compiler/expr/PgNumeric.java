package io.trickle.compiler.expr;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** PostgreSQL's numeric arithmetic where it differs from BigDecimal's defaults. */
public final class PgNumeric {
  /** NUMERIC_MIN_SIG_DIGITS in numeric.c. */
  private static final int MIN_SIG_DIGITS = 16;
  /** NUMERIC_MAX_DISPLAY_SCALE in numeric.c. */
  private static final int MAX_DISPLAY_SCALE = 1000;
  /** DEC_DIGITS: PostgreSQL stores numerics in base NBASE = 10^4. */
  private static final int DEC_DIGITS = 4;

  private PgNumeric() {}

  /**
   * numeric / numeric with PostgreSQL's result scale ({@code select_div_scale} in numeric.c:
   * at least 16 significant digits, never fewer decimals than either input), rounded half away
   * from zero.
   *
   * @throws EvalException 22012 on division by zero
   */
  public static BigDecimal divide(BigDecimal dividend, BigDecimal divisor) {
    if (divisor.signum() == 0) {
      throw new EvalException("22012", "division by zero");
    }
    BigDecimal x = normalizeScale(dividend);
    BigDecimal y = normalizeScale(divisor);
    return x.divide(y, divScale(x, y), RoundingMode.HALF_UP);
  }

  /** PostgreSQL's numeric % : sign of the dividend, display scale max(s1, s2). */
  public static BigDecimal mod(BigDecimal dividend, BigDecimal divisor) {
    if (divisor.signum() == 0) {
      throw new EvalException("22012", "division by zero");
    }
    BigDecimal x = normalizeScale(dividend);
    BigDecimal y = normalizeScale(divisor);
    return x.remainder(y).setScale(Math.max(x.scale(), y.scale()), RoundingMode.UNNECESSARY);
  }

  /** PostgreSQL never has a negative display scale: 1E+3 is 1000. */
  public static BigDecimal normalizeScale(BigDecimal v) {
    return v.scale() < 0 ? v.setScale(0, RoundingMode.UNNECESSARY) : v;
  }

  /** {@code select_div_scale}; inputs have a non-negative scale. */
  static int divScale(BigDecimal x, BigDecimal y) {
    int qweight = weight(x) - weight(y);
    if (firstDigit(x) <= firstDigit(y)) {
      qweight--;
    }
    int rscale = MIN_SIG_DIGITS - qweight * DEC_DIGITS;
    rscale = Math.max(rscale, x.scale());
    rscale = Math.max(rscale, y.scale());
    rscale = Math.max(rscale, 0);
    return Math.min(rscale, MAX_DISPLAY_SCALE);
  }

  /** Weight of the first non-zero base-10000 digit (0 for zero, as numeric.c does). */
  private static int weight(BigDecimal v) {
    if (v.signum() == 0) {
      return 0;
    }
    int decimalExponent = v.precision() - v.scale() - 1;
    return Math.floorDiv(decimalExponent, DEC_DIGITS);
  }

  /** The first non-zero base-10000 digit, 1..9999 (0 for zero). */
  private static int firstDigit(BigDecimal v) {
    if (v.signum() == 0) {
      return 0;
    }
    return v.abs().movePointLeft(weight(v) * DEC_DIGITS).intValue();
  }
}
