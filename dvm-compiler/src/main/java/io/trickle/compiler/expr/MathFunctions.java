package io.trickle.compiler.expr;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * round, trunc, ceil, floor, abs and sign with PostgreSQL's rules: numeric rounds half away from
 * zero and keeps {@code max(digits, 0)} decimals; float8 round is rint (half to even).
 */
final class MathFunctions {
  private MathFunctions() {}

  /** NUMERIC_DSCALE_MAX: round/trunc clamp the digit count to it. */
  private static final int MAX_DSCALE = 16383;

  /** numeric_round / numeric_trunc: a negative digit count rounds left of the point. */
  static BigDecimal round(BigDecimal v, long digits, boolean truncate) {
    int scale = (int) Math.max(Math.min(digits, MAX_DSCALE), -MAX_DSCALE * 8L);
    BigDecimal r = v.setScale(scale, truncate ? RoundingMode.DOWN : RoundingMode.HALF_UP);
    return scale < 0 ? r.setScale(0, RoundingMode.UNNECESSARY) : r;
  }

  static double roundDouble(double v) {
    return Math.rint(v);
  }

  static double truncDouble(double v) {
    return v < 0 ? Math.ceil(v) : Math.floor(v);
  }

  static BigDecimal ceil(BigDecimal v) {
    return v.setScale(0, RoundingMode.CEILING);
  }

  static BigDecimal floor(BigDecimal v) {
    return v.setScale(0, RoundingMode.FLOOR);
  }

  static BigDecimal sign(BigDecimal v) {
    return BigDecimal.valueOf(v.signum());
  }

  /** float8 sign: NaN stays NaN, zero (of either sign) is 0. */
  static double signDouble(double v) {
    return Double.isNaN(v) ? v : v > 0 ? 1.0 : v < 0 ? -1.0 : 0.0;
  }
}
