package io.trickle.compiler.expr;

import io.trickle.compiler.plan.ColumnType.Kind;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * PostgreSQL's date and interval arithmetic beyond adding an interval: date ± integer
 * (date_pli, date_mii), date - date (date_mi), timestamp - timestamp (timestamp_mi, then
 * justify_hours), interval ± interval and age(), with their range errors.
 */
final class IntervalArithmetic {
  private IntervalArithmetic() {}

  /** 4714-11-24 BC (Julian day 0), the first valid date. */
  private static final long MIN_EPOCH_DAY = -2_440_588L;
  /** DATE_END_JULIAN (5874898-01-01), the first date past the range. */
  private static final long END_EPOCH_DAY = 2_147_483_494L - 2_440_588L;
  /** PostgreSQL counts timestamp microseconds from 2000-01-01; int64 overflow is from there. */
  private static final long PG_EPOCH_SECONDS = 946_684_800L;

  /** @return the arithmetic for these operand and result kinds, or null if it is not one here */
  static CompiledExpr compile(boolean plus, Kind result, Kind l, Kind r, CompiledExpr left,
      CompiledExpr right) {
    if (result == Kind.DATE && l == Kind.DATE && r.isInteger()) {
      return strict(left, right, (d, n) -> addDays((LocalDate) d, plus ? (Long) n : -(Long) n));
    }
    if (result == Kind.DATE && plus && l.isInteger() && r == Kind.DATE) {
      return strict(left, right, (n, d) -> addDays((LocalDate) d, (Long) n));
    }
    if (result.isInteger() && !plus && l == Kind.DATE && r == Kind.DATE) {
      return strict(left, right, (a, b) ->
          ((LocalDate) a).toEpochDay() - ((LocalDate) b).toEpochDay());
    }
    if (result == Kind.INTERVAL && !plus && l == Kind.TIMESTAMP && r == Kind.TIMESTAMP) {
      return strict(left, right, (a, b) -> minus((LocalDateTime) a, (LocalDateTime) b));
    }
    if (result == Kind.INTERVAL && l == Kind.INTERVAL && r == Kind.INTERVAL) {
      return strict(left, right, (a, b) -> add((PgInterval) a, plus ? (PgInterval) b
          : ((PgInterval) b).negate()));
    }
    return null;
  }

  private interface Binary {
    Object apply(Object a, Object b);
  }

  private static CompiledExpr strict(CompiledExpr left, CompiledExpr right, Binary f) {
    return row -> {
      Object a = left.eval(row);
      if (a == null) {
        return null;
      }
      Object b = right.eval(row);
      return b == null ? null : f.apply(a, b);
    };
  }

  private static LocalDate addDays(LocalDate d, long days) {
    long r = d.toEpochDay() + days;
    if (r < MIN_EPOCH_DAY || r >= END_EPOCH_DAY) {
      throw new EvalException("22008", "date out of range");
    }
    return LocalDate.ofEpochDay(r);
  }

  private static long micros(LocalDateTime t) {
    return (t.toEpochSecond(ZoneOffset.UTC) - PG_EPOCH_SECONDS) * 1_000_000L
        + t.getNano() / 1000;
  }

  private static EvalException intervalOutOfRange() {
    return new EvalException("22008", "interval out of range");
  }

  /** timestamp_mi: the difference in microseconds, whole 24-hour spans moved into days. */
  static PgInterval minus(LocalDateTime a, LocalDateTime b) {
    long time;
    try {
      time = Math.subtractExact(micros(a), micros(b));
    } catch (ArithmeticException e) {
      throw intervalOutOfRange();
    }
    long days = time / PgInterval.MICROS_PER_DAY;
    time -= days * PgInterval.MICROS_PER_DAY;
    if (days > 0 && time < 0) {
      time += PgInterval.MICROS_PER_DAY;
      days--;
    } else if (days < 0 && time > 0) {
      time -= PgInterval.MICROS_PER_DAY;
      days++;
    }
    return new PgInterval(0, (int) days, time);
  }

  static PgInterval add(PgInterval a, PgInterval b) {
    try {
      return new PgInterval(Math.addExact(a.months(), b.months()),
          Math.addExact(a.days(), b.days()), Math.addExact(a.micros(), b.micros()));
    } catch (ArithmeticException e) {
      throw intervalOutOfRange();
    }
  }

  static CompiledExpr age(CompiledExpr left, CompiledExpr right) {
    return strict(left, right, (a, b) -> age((LocalDateTime) a, (LocalDateTime) b));
  }

  /**
   * timestamp_age: the field-wise difference, negative fields borrowed from the next larger
   * one; a day borrows the length of the earlier timestamp's month.
   */
  static PgInterval age(LocalDateTime t1, LocalDateTime t2) {
    boolean negative = t1.isBefore(t2);
    int sign = negative ? -1 : 1;
    long usec = sign * (t1.getNano() / 1000 - t2.getNano() / 1000);
    long sec = sign * (t1.getSecond() - t2.getSecond());
    long min = sign * (t1.getMinute() - t2.getMinute());
    long hour = sign * (t1.getHour() - t2.getHour());
    long mday = sign * (t1.getDayOfMonth() - t2.getDayOfMonth());
    long mon = sign * (t1.getMonthValue() - t2.getMonthValue());
    long year = sign * ((long) t1.getYear() - t2.getYear());
    while (usec < 0) {
      usec += 1_000_000L;
      sec--;
    }
    while (sec < 0) {
      sec += 60;
      min--;
    }
    while (min < 0) {
      min += 60;
      hour--;
    }
    while (hour < 0) {
      hour += 24;
      mday--;
    }
    while (mday < 0) {
      mday += (negative ? t1 : t2).toLocalDate().lengthOfMonth();
      mon--;
    }
    while (mon < 0) {
      mon += 12;
      year--;
    }
    long months = sign * (year * 12 + mon);
    long time = sign * (((hour * 60 + min) * 60 + sec) * 1_000_000L + usec);
    if (months != (int) months) {
      throw intervalOutOfRange();
    }
    return new PgInterval((int) months, (int) (sign * mday), time);
  }
}
