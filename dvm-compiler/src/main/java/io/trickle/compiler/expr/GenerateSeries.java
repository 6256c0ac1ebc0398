package io.trickle.compiler.expr;

import io.trickle.compiler.plan.ColumnType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code generate_series(start, stop [, step])} over integer, bigint or numeric: start, start +
 * step, ... while not past stop; no rows if start is already past stop or an argument is NULL.
 * The integer forms stop where the next value would overflow, as PostgreSQL does.
 *
 * @param type integer, bigint or numeric (PostgreSQL's resolved argument and result type)
 */
public record GenerateSeries(ColumnType type) implements SetFunction {
  /** The most rows one call may produce here (a Java list index); PostgreSQL has no such limit. */
  static final long MAX_ROWS = Integer.MAX_VALUE;

  public GenerateSeries {
    Objects.requireNonNull(type, "type");
    if (!type.kind().isInteger() && type.kind() != ColumnType.Kind.NUMERIC) {
      throw new IllegalArgumentException("generate_series over " + type + " is not supported");
    }
  }

  @Override
  public String name() {
    return "generate_series";
  }

  @Override
  public List<ColumnType> columnTypes() {
    return List.of(type);
  }

  @Override
  public boolean distinctRows() {
    return true;
  }

  @Override
  public List<Object[]> apply(Object[] args) {
    for (Object a : args) {
      if (a == null) {
        return List.of();
      }
    }
    return type.kind() == ColumnType.Kind.NUMERIC ? numeric(args) : integer(args);
  }

  private static List<Object[]> integer(Object[] args) {
    long start = (Long) args[0];
    long stop = (Long) args[1];
    long step = args.length > 2 ? (Long) args[2] : 1L;
    if (step == 0) {
      throw zeroStep();
    }
    if (step > 0 ? start > stop : start < stop) {
      return List.of();
    }
    // Exact count: the last value is the largest start + k*step not past stop, so none overflows.
    long count = BigInteger.valueOf(stop).subtract(BigInteger.valueOf(start))
        .divide(BigInteger.valueOf(step)).add(BigInteger.ONE).min(BigInteger.valueOf(MAX_ROWS + 1))
        .longValue();
    if (count > MAX_ROWS) {
      throw tooManyRows();
    }
    int n = (int) count;
    return new AbstractList<>() {
      @Override
      public Object[] get(int index) {
        Objects.checkIndex(index, n);
        return new Object[] {start + index * step};
      }

      @Override
      public int size() {
        return n;
      }
    };
  }

  private static List<Object[]> numeric(Object[] args) {
    BigDecimal start = (BigDecimal) args[0];
    BigDecimal stop = (BigDecimal) args[1];
    BigDecimal step = args.length > 2 ? (BigDecimal) args[2] : BigDecimal.ONE;
    if (step.signum() == 0) {
      throw zeroStep();
    }
    List<Object[]> out = new ArrayList<>();
    for (BigDecimal v = start; step.signum() > 0 ? v.compareTo(stop) <= 0 : v.compareTo(stop) >= 0;
        v = v.add(step)) {
      if (out.size() >= MAX_ROWS) {
        throw tooManyRows();
      }
      out.add(new Object[] {PgNumeric.normalizeScale(v)});
    }
    return out;
  }

  private static EvalException zeroStep() {
    return new EvalException("22023", "step size cannot equal zero");
  }

  private static EvalException tooManyRows() {
    return new EvalException("54000", "generate_series would produce more than " + MAX_ROWS
        + " rows");
  }

  @Override
  public String toString() {
    return "generate_series<" + type + ">";
  }
}
