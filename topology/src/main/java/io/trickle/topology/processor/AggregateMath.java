package io.trickle.topology.processor;

import io.trickle.compiler.expr.EvalException;
import io.trickle.compiler.expr.PgNumeric;
import io.trickle.compiler.plan.AggCall;
import io.trickle.compiler.plan.ColumnType;
import java.math.BigDecimal;

/**
 * The algebraic part of aggregation: folding a weighted input value into an {@link Accumulator}
 * and reading an aggregate's result with PostgreSQL's types (SUM over no non-null rows is NULL,
 * COUNT is 0; SUM(int) is bigint, AVG over integers and numeric is numeric). BOOL_AND/BOOL_OR
 * count TRUE and non-NULL inputs; the variance family is {@link VarianceMath}.
 */
final class AggregateMath {
  private AggregateMath() {}

  /** Folds {@code weight} copies of {@code value} into aggregate {@code i}. MIN/MAX only count. */
  static void add(Accumulator acc, int i, AggCall agg, Object value, long weight) {
    if (agg.kind() == AggCall.Kind.COUNT_STAR) {
      // Without FILTER, COUNT(*) is the group's row count; with it, the rows passing it.
      if (agg.filter() >= 0) {
        acc.nonNull[i] += weight;
      }
      return;
    }
    if (value == null || agg.kind() == AggCall.Kind.GROUPING) {
      return;
    }
    if (agg.kind().isVariance()) {
      VarianceMath.add(acc, i, value, weight);
      return;
    }
    acc.nonNull[i] += weight;
    if (agg.kind() == AggCall.Kind.BOOL_AND || agg.kind() == AggCall.Kind.BOOL_OR) {
      long trues = (acc.sums[i] == null ? 0 : (Long) acc.sums[i]) + (Boolean.TRUE.equals(value) ? weight : 0);
      acc.sums[i] = acc.nonNull[i] == 0 ? null : trues;
      return;
    }
    if (agg.kind() == AggCall.Kind.SUM || agg.kind() == AggCall.Kind.AVG) {
      // Resetting an emptied sum drops float residue and a numeric's accumulated scale.
      acc.sums[i] = acc.nonNull[i] == 0 ? null : plus(acc.sums[i], times(value, weight));
      if (value instanceof BigDecimal d) {
        if (acc.scales[i] == null) {
          acc.scales[i] = new java.util.TreeMap<>();
        }
        long n = acc.scales[i].merge(d.scale(), weight, Long::sum);
        if (n == 0) {
          acc.scales[i].remove(d.scale());
        }
      }
    }
  }

  static Object result(Accumulator acc, int i, AggCall agg) {
    return switch (agg.kind()) {
      case COUNT_STAR -> agg.filter() >= 0 ? acc.nonNull[i] : acc.count;
      case COUNT -> acc.nonNull[i];
      case SUM -> acc.nonNull[i] == 0 || acc.sums[i] == null ? null : asType(displayed(acc, i), agg.type());
      case AVG -> acc.nonNull[i] == 0 || acc.sums[i] == null ? null
          : average(displayed(acc, i), acc.nonNull[i], agg.type());
      case MIN, MAX, STRING_AGG, ARRAY_AGG -> acc.extremes[i];
      case SINGLE_VALUE -> singleValue(acc, i);
      case STDDEV_POP, STDDEV_SAMP, VAR_POP, VAR_SAMP -> VarianceMath.result(acc, i, agg);
      case BOOL_AND -> acc.nonNull[i] <= 0 ? null : ((Long) acc.sums[i]) == acc.nonNull[i];
      case BOOL_OR -> acc.nonNull[i] <= 0 ? null : ((Long) acc.sums[i]) > 0;
      // Constant per grouping set: the processor fills it in.
      case GROUPING -> null;
    };
  }

  /** PostgreSQL raises the error when the subquery runs; here, when its group gains a second row. */
  private static Object singleValue(Accumulator acc, int i) {
    if (acc.count > 1) {
      throw new EvalException("21000", "more than one row returned by a subquery used as an"
          + " expression");
    }
    return acc.count == 1 ? acc.extremes[i] : null;
  }

  /** A numeric sum at the largest scale among the current inputs, as PostgreSQL keeps it. */
  private static Object displayed(Accumulator acc, int i) {
    if (acc.sums[i] instanceof BigDecimal d && acc.scales[i] != null && !acc.scales[i].isEmpty()) {
      int scale = acc.scales[i].lastKey();
      if (scale < d.scale()) {
        try {
          return d.setScale(scale, java.math.RoundingMode.UNNECESSARY);
        } catch (ArithmeticException inexact) {
          return d;
        }
      }
    }
    return acc.sums[i];
  }

  private static Object times(Object v, long w) {
    if (v instanceof Long l) {
      try {
        return Math.multiplyExact(l, w);
      } catch (ArithmeticException overflow) {
        return BigDecimal.valueOf(l).multiply(BigDecimal.valueOf(w));
      }
    }
    if (v instanceof BigDecimal d) {
      return w == 1 ? d : d.multiply(BigDecimal.valueOf(w));
    }
    if (v instanceof Double d) {
      return d * w;
    }
    throw new IllegalArgumentException("SUM/AVG over a non-numeric value " + v.getClass().getName());
  }

  /** Long while it fits (overflow promotes to BigDecimal), BigDecimal, or Double. */
  private static Object plus(Object sum, Object v) {
    if (sum == null) {
      return v;
    }
    if (sum instanceof Double a) {
      return a + ((Number) v).doubleValue();
    }
    if (sum instanceof Long a && v instanceof Long b) {
      try {
        return Math.addExact(a, b);
      } catch (ArithmeticException overflow) {
        return BigDecimal.valueOf(a).add(BigDecimal.valueOf(b));
      }
    }
    BigDecimal r = decimal(sum).add(decimal(v));
    return sum instanceof Long && v instanceof BigDecimal && r.scale() == 0 ? shrink(r) : r;
  }

  /** An integer sum back in long range returns to Long. */
  private static Object shrink(BigDecimal d) {
    try {
      return d.longValueExact();
    } catch (ArithmeticException e) {
      return d;
    }
  }

  private static BigDecimal decimal(Object v) {
    return v instanceof BigDecimal d ? d : BigDecimal.valueOf((Long) v);
  }

  private static Object asType(Object sum, ColumnType type) {
    if (type.kind().isInteger()) {
      if (sum instanceof Long) {
        return sum;
      }
      try {
        return ((BigDecimal) sum).longValueExact();
      } catch (ArithmeticException e) {
        throw new EvalException("22003", "bigint out of range");
      }
    }
    return switch (type.kind()) {
      case NUMERIC -> decimal(sum);
      case REAL -> (double) (float) ((Number) sum).doubleValue();
      case DOUBLE -> ((Number) sum).doubleValue();
      default -> throw new IllegalArgumentException("SUM cannot produce " + type);
    };
  }

  private static Object average(Object sum, long n, ColumnType type) {
    if (sum instanceof Double d) {
      double avg = d / n;
      return type.kind() == ColumnType.Kind.REAL ? (double) (float) avg : avg;
    }
    BigDecimal avg = PgNumeric.divide(decimal(sum), BigDecimal.valueOf(n));
    return type.kind() == ColumnType.Kind.DOUBLE ? avg.doubleValue() : avg;
  }
}
