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

  /** SQRT and DIV, dispatched by the argument type (numeric or double precision). */
  static CompiledExpr compile(Expr.Call call) {
    java.util.List<Expr> args = call.args();
    io.trickle.compiler.plan.ColumnType.Kind kind = call.type().kind();
    if (call.op() == Operator.SQRT && args.size() == 1 && args.get(0).type().kind() == kind) {
      CompiledExpr a = Evaluator.compile(args.get(0));
      return switch (kind) {
        case NUMERIC -> row -> {
          Object v = a.eval(row);
          return v == null ? null : sqrt((BigDecimal) v);
        };
        case DOUBLE -> row -> {
          Object v = a.eval(row);
          return v == null ? null : sqrt((Double) v);
        };
        default -> throw new IllegalArgumentException("SQRT of " + kind + ": " + call);
      };
    }
    if (call.op() == Operator.DIV && args.size() == 2 && kind == io.trickle.compiler.plan.ColumnType.Kind.NUMERIC
        && args.get(0).type().kind() == kind && args.get(1).type().kind() == kind) {
      CompiledExpr a = Evaluator.compile(args.get(0));
      CompiledExpr b = Evaluator.compile(args.get(1));
      return row -> {
        Object x = a.eval(row);
        if (x == null) {
          return null;
        }
        Object y = b.eval(row);
        return y == null ? null : div((BigDecimal) x, (BigDecimal) y);
      };
    }
    throw new IllegalArgumentException(call.op() + " is not supported for " + call);
  }

  /** dsqrt: a negative argument is an error; -0, NaN and Infinity pass through. */
  static double sqrt(double v) {
    if (v < 0) {
      throw negativeRoot();
    }
    return Math.sqrt(v);
  }

  private static EvalException negativeRoot() {
    return new EvalException("2201F", "cannot take square root of a negative number");
  }

  /**
   * numeric_sqrt: at least 16 significant digits and never fewer decimals than the argument,
   * rounded half away from zero (checked exactly by squaring, so no double rounding).
   */
  static BigDecimal sqrt(BigDecimal v) {
    if (v.signum() < 0) {
      throw negativeRoot();
    }
    int weight = v.signum() == 0 ? 0
        : Math.floorDiv(v.unscaledValue().abs().toString().length() - 1 - v.scale(), 4);
    int rscale = 16 - (2 * weight + 1);
    rscale = Math.max(rscale, Math.max(v.scale(), 0));
    rscale = Math.min(rscale, 1000);
    if (v.signum() == 0) {
      return BigDecimal.ZERO.setScale(rscale);
    }
    int digits = Math.max(1, v.precision() - v.scale()) / 2 + rscale + 10;
    BigDecimal ulp = BigDecimal.ONE.movePointLeft(rscale);
    BigDecimal t = v.sqrt(new java.math.MathContext(digits, RoundingMode.HALF_EVEN))
        .setScale(rscale, RoundingMode.FLOOR);
    while (t.multiply(t).compareTo(v) > 0) {
      t = t.subtract(ulp);
    }
    while (t.add(ulp).multiply(t.add(ulp)).compareTo(v) <= 0) {
      t = t.add(ulp);
    }
    BigDecimal half = t.add(ulp.divide(BigDecimal.valueOf(2)));
    return half.multiply(half).compareTo(v) <= 0 ? t.add(ulp) : t;
  }

  /** div(numeric, numeric): the quotient truncated towards zero, scale 0. */
  static BigDecimal div(BigDecimal x, BigDecimal y) {
    if (y.signum() == 0) {
      throw new EvalException("22012", "division by zero");
    }
    return x.divideToIntegralValue(y).setScale(0, RoundingMode.DOWN);
  }

  /** float8 sign: NaN stays NaN, zero (of either sign) is 0. */
  static double signDouble(double v) {
    return Double.isNaN(v) ? v : v > 0 ? 1.0 : v < 0 ? -1.0 : 0.0;
  }
}
