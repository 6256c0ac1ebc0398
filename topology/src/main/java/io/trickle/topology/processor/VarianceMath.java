package io.trickle.topology.processor;

import io.trickle.compiler.expr.PgNumeric;
import io.trickle.compiler.plan.AggCall;
import io.trickle.compiler.plan.ColumnType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * STDDEV_POP/SAMP and VAR_POP/SAMP from an exact count, sum and sum of squares, so a retraction
 * is exact. Integer and numeric input follow PostgreSQL's {@code numeric_stddev_internal}: sum at
 * the largest input scale d, sum of squares at 2d, numerator N*sumX2 - sumX^2 (0 if not
 * positive), divided with numeric division scale, square root rounded to that scale. Float input
 * gives double precision; an infinite or NaN input makes the result NaN, as in PostgreSQL; the
 * result is the correctly rounded value, which can differ from PostgreSQL's running (Youngs-
 * Cramer) computation in the last bits.
 */
final class VarianceMath {
  private VarianceMath() {}

  static void add(Accumulator acc, int i, Object value, long weight) {
    acc.nonNull[i] += weight;
    if (acc.nonNull[i] == 0) {
      // An emptied group starts afresh: no scale, no residue.
      acc.sums[i] = null;
      acc.squares[i] = null;
      acc.nonFinite[i] = 0;
      acc.scales[i] = null;
      return;
    }
    BigDecimal x;
    if (value instanceof Double d) {
      if (!Double.isFinite(d)) {
        acc.nonFinite[i] += weight;
        return;
      }
      x = new BigDecimal(d);
    } else if (value instanceof Long l) {
      x = BigDecimal.valueOf(l);
    } else {
      x = (BigDecimal) value;
      if (acc.scales[i] == null) {
        acc.scales[i] = new java.util.TreeMap<>();
      }
      if (acc.scales[i].merge(x.scale(), weight, Long::sum) == 0) {
        acc.scales[i].remove(x.scale());
      }
    }
    BigDecimal w = BigDecimal.valueOf(weight);
    acc.sums[i] = plus(acc.sums[i], x.multiply(w));
    acc.squares[i] = plus(acc.squares[i], x.multiply(x).multiply(w));
  }

  private static BigDecimal plus(Object sum, BigDecimal v) {
    return sum == null ? v : ((BigDecimal) sum).add(v);
  }

  static Object result(Accumulator acc, int i, AggCall agg) {
    long n = acc.nonNull[i];
    boolean sample = agg.kind() == AggCall.Kind.STDDEV_SAMP || agg.kind() == AggCall.Kind.VAR_SAMP;
    boolean variance = agg.kind() == AggCall.Kind.VAR_POP || agg.kind() == AggCall.Kind.VAR_SAMP;
    if (n <= 0 || (sample && n == 1)) {
      return null;
    }
    BigDecimal sum = acc.sums[i] == null ? BigDecimal.ZERO : (BigDecimal) acc.sums[i];
    BigDecimal squares = acc.squares[i] == null ? BigDecimal.ZERO : (BigDecimal) acc.squares[i];
    BigDecimal count = BigDecimal.valueOf(n);
    BigDecimal denominator = count.multiply(sample ? BigDecimal.valueOf(n - 1) : count);
    if (agg.type().kind() == ColumnType.Kind.DOUBLE) {
      if (acc.nonFinite[i] > 0) {
        return Double.NaN;
      }
      BigDecimal numerator = count.multiply(squares).subtract(sum.multiply(sum));
      if (numerator.signum() <= 0) {
        return 0.0;
      }
      double var = numerator.divide(denominator, MathContext.DECIMAL128).doubleValue();
      return variance ? var : Math.sqrt(var);
    }
    int d = acc.scales[i] == null || acc.scales[i].isEmpty() ? 0 : acc.scales[i].lastKey();
    BigDecimal sumX = sum.setScale(d);
    BigDecimal sumX2 = squares.setScale(2 * d);
    BigDecimal numerator = count.multiply(sumX2).subtract(sumX.multiply(sumX));
    if (numerator.signum() <= 0) {
      return BigDecimal.ZERO;
    }
    BigDecimal var = PgNumeric.divide(numerator, denominator);
    return variance ? var : sqrt(var);
  }

  /** sqrt_var: the square root rounded half up at the operand's own scale. */
  static BigDecimal sqrt(BigDecimal v) {
    int scale = v.scale();
    // floor(sqrt(v) * 10^(scale+1)), then round on the extra digit.
    BigInteger scaled = v.unscaledValue().multiply(BigInteger.TEN.pow(scale + 2));
    BigInteger root = scaled.sqrt();
    BigInteger rounded = root.add(BigInteger.valueOf(5)).divide(BigInteger.TEN);
    return new BigDecimal(rounded, scale);
  }
}
