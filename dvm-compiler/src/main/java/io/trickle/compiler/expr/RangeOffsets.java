package io.trickle.compiler.expr;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * The arithmetic of a window frame {@code RANGE BETWEEN offset PRECEDING AND offset FOLLOWING}:
 * PostgreSQL's {@code in_range} support functions, which compare a row's ORDER BY value with the
 * current row's value moved by the offset. A moved value that overflows its type means the bound
 * reaches past every row (in_range then answers as if the sum were infinite), never an error.
 */
public final class RangeOffsets {
  private RangeOffsets() {}

  /**
   * {@code value + offset} (or minus), in the type the ORDER BY value is compared in: a date moved
   * by an interval is a timestamp, as {@code in_range(date, date, interval)} computes it.
   *
   * @return the moved value, or null if it overflows
   */
  public static Object shift(Object value, Object offset, boolean plus) {
    try {
      if (value instanceof Long v) {
        return plus ? Math.addExact(v, (Long) offset) : Math.subtractExact(v, (Long) offset);
      }
      if (value instanceof BigDecimal v) {
        return plus ? v.add((BigDecimal) offset) : v.subtract((BigDecimal) offset);
      }
      if (value instanceof Double v) {
        return plus ? v + (Double) offset : v - (Double) offset;
      }
      if (value instanceof LocalDate v) {
        return moved(v.atStartOfDay(), (PgInterval) offset, plus);
      }
      if (value instanceof LocalDateTime v) {
        return moved(v, (PgInterval) offset, plus);
      }
    } catch (ArithmeticException | DateTimeException | EvalException e) {
      return null;
    }
    throw new IllegalArgumentException("no RANGE offset arithmetic for "
        + value.getClass().getSimpleName());
  }

  private static LocalDateTime moved(LocalDateTime t, PgInterval offset, boolean plus) {
    return (plus ? offset : offset.negate()).addTo(t);
  }

  /** Compares a row's ORDER BY value with a moved one (a date against a timestamp as midnight). */
  public static int compare(Object value, Object moved) {
    if (value instanceof LocalDate d && moved instanceof LocalDateTime) {
      return d.atStartOfDay().compareTo((LocalDateTime) moved);
    }
    return Values.compare(value, moved);
  }
}
