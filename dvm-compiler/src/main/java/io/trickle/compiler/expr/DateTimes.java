package io.trickle.compiler.expr;

import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.ColumnType.Kind;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.Locale;

/**
 * Date and timestamp arithmetic with intervals, EXTRACT and date_trunc, as PostgreSQL computes
 * them on date, timestamp and time (the time-zone-dependent timestamptz forms are stable in
 * PostgreSQL and rejected before they get here).
 */
final class DateTimes {
  private DateTimes() {}

  /** PostgreSQL's timestamp range: 4714-11-24 BC to 294276-12-31 23:59:59.999999. */
  private static final LocalDateTime MIN = LocalDateTime.of(-4713, 11, 24, 0, 0);
  private static final LocalDateTime MAX = LocalDateTime.of(294277, 1, 1, 0, 0);

  static LocalDateTime checkTimestamp(LocalDateTime t) {
    if (t.isBefore(MIN) || !t.isBefore(MAX)) {
      throw outOfRange();
    }
    return t;
  }

  private static EvalException outOfRange() {
    return new EvalException("22008", "timestamp out of range");
  }

  /** Whether {@code op} on these operand kinds is date/time arithmetic rather than numeric. */
  static boolean isTemporal(Kind left, Kind right) {
    return isDateTime(left) || isDateTime(right) || left == Kind.INTERVAL
        || right == Kind.INTERVAL;
  }

  private static boolean isDateTime(Kind k) {
    return k == Kind.DATE || k == Kind.TIMESTAMP || k == Kind.TIME || k == Kind.TIMESTAMPTZ;
  }

  /**
   * date/timestamp + interval, interval + date/timestamp, date/timestamp - interval. The result
   * type must be PostgreSQL's: timestamp (date + interval is a timestamp).
   */
  static CompiledExpr arithmetic(Operator op, ColumnType type, Expr leftExpr, Expr rightExpr,
      CompiledExpr left, CompiledExpr right) {
    Kind l = leftExpr.type().kind();
    Kind r = rightExpr.type().kind();
    boolean plus = op == Operator.PLUS;
    if (op != Operator.PLUS && op != Operator.MINUS) {
      throw unsupported(op, l, r);
    }
    if (type.kind() == Kind.TIMESTAMP && r == Kind.INTERVAL && (l == Kind.DATE || l == Kind.TIMESTAMP)) {
      return withInterval(l, left, right, plus);
    }
    if (plus && type.kind() == Kind.TIMESTAMP && l == Kind.INTERVAL
        && (r == Kind.DATE || r == Kind.TIMESTAMP)) {
      return withInterval(r, right, left, true);
    }
    CompiledExpr other = IntervalArithmetic.compile(plus, type.kind(), l, r, left, right);
    if (other != null) {
      return other;
    }
    throw unsupported(op, l, r);
  }

  private static IllegalArgumentException unsupported(Operator op, Kind l, Kind r) {
    return new IllegalArgumentException(op + " of " + l + " and " + r + " is not supported");
  }

  private static CompiledExpr withInterval(Kind kind, CompiledExpr temporal, CompiledExpr interval,
      boolean plus) {
    return row -> {
      Object t = temporal.eval(row);
      if (t == null) {
        return null;
      }
      Object i = interval.eval(row);
      if (i == null) {
        return null;
      }
      LocalDateTime ts = kind == Kind.DATE ? ((LocalDate) t).atStartOfDay() : (LocalDateTime) t;
      PgInterval iv = plus ? (PgInterval) i : ((PgInterval) i).negate();
      try {
        return iv.addTo(ts);
      } catch (DateTimeException | ArithmeticException e) {
        throw outOfRange();
      }
    };
  }

  // ---- EXTRACT ----

  /** The fields EXTRACT accepts, by PostgreSQL's (singular) name. */
  enum Field {
    MICROSECONDS, MILLISECONDS, SECOND, MINUTE, HOUR, DAY, WEEK, MONTH, QUARTER, YEAR, DECADE,
    CENTURY, MILLENNIUM, DOW, ISODOW, DOY, EPOCH, ISOYEAR;

    static Field of(String name) {
      String n = name.toUpperCase(Locale.ROOT);
      return switch (n) {
        case "MICROSECOND", "MICROSECONDS" -> MICROSECONDS;
        case "MILLISECOND", "MILLISECONDS" -> MILLISECONDS;
        default -> valueOf(n);
      };
    }

    boolean onDate() {
      return this.compareTo(DAY) >= 0;
    }

    boolean onTime() {
      return this.compareTo(HOUR) <= 0 || this == EPOCH;
    }
  }

  /** Whether EXTRACT(field FROM kind) is defined, checked when the expression is compiled. */
  static boolean extractable(Field f, Kind kind) {
    return switch (kind) {
      case DATE -> f.onDate();
      case TIMESTAMP -> true;
      case TIME -> f.onTime();
      default -> false;
    };
  }

  /** EXTRACT returns numeric since PostgreSQL 14; second-based fields keep their fraction. */
  static CompiledExpr extract(Field field, Kind kind, CompiledExpr arg) {
    if (!extractable(field, kind)) {
      throw new IllegalArgumentException("EXTRACT(" + field + ") from " + kind
          + " is not supported");
    }
    return row -> {
      Object v = arg.eval(row);
      if (v == null) {
        return null;
      }
      return switch (kind) {
        case DATE -> fromDate(field, (LocalDate) v);
        case TIME -> fromTime(field, (LocalTime) v);
        default -> fromTimestamp(field, (LocalDateTime) v);
      };
    };
  }

  private static BigDecimal fromDate(Field f, LocalDate d) {
    if (f == Field.EPOCH) {
      return BigDecimal.valueOf(d.toEpochDay() * 86_400L);
    }
    return BigDecimal.valueOf(dateField(f, d));
  }

  private static long dateField(Field f, LocalDate d) {
    int y = d.getYear(); // astronomical: 0 is 1 BC
    return switch (f) {
      case DAY -> d.getDayOfMonth();
      case MONTH -> d.getMonthValue();
      case QUARTER -> (d.getMonthValue() - 1) / 3 + 1;
      case YEAR -> y > 0 ? y : y - 1;
      case DECADE -> y >= 0 ? y / 10 : -((8 - (y - 1)) / 10);
      case CENTURY -> y > 0 ? (y + 99) / 100 : -((99 - (y - 1)) / 100);
      case MILLENNIUM -> y > 0 ? (y + 999) / 1000 : -((999 - (y - 1)) / 1000);
      case WEEK -> d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
      case ISOYEAR -> {
        int iy = d.get(IsoFields.WEEK_BASED_YEAR);
        yield iy > 0 ? iy : iy - 1;
      }
      case DOW -> d.getDayOfWeek().getValue() % 7;
      case ISODOW -> d.getDayOfWeek().getValue();
      case DOY -> d.getDayOfYear();
      default -> throw new IllegalStateException(f.name());
    };
  }

  private static BigDecimal fromTime(Field f, LocalTime t) {
    long micros = t.toNanoOfDay() / 1000L;
    return switch (f) {
      case HOUR -> BigDecimal.valueOf(t.getHour());
      case MINUTE -> BigDecimal.valueOf(t.getMinute());
      case EPOCH -> BigDecimal.valueOf(micros, 6);
      default -> seconds(f, t.getSecond(), t.getNano() / 1000);
    };
  }

  private static BigDecimal fromTimestamp(Field f, LocalDateTime t) {
    return switch (f) {
      case HOUR, MINUTE, SECOND, MILLISECONDS, MICROSECONDS -> fromTime(f, t.toLocalTime());
      case EPOCH -> BigDecimal.valueOf(t.toEpochSecond(ZoneOffset.UTC) * 1_000_000L
          + t.getNano() / 1000, 6);
      default -> BigDecimal.valueOf(dateField(f, t.toLocalDate()));
    };
  }

  /** second: scale 6; milliseconds: scale 3; microseconds: an integer. */
  private static BigDecimal seconds(Field f, int second, int micro) {
    long total = second * 1_000_000L + micro;
    return switch (f) {
      case SECOND -> BigDecimal.valueOf(total, 6);
      case MILLISECONDS -> BigDecimal.valueOf(total, 3);
      case MICROSECONDS -> BigDecimal.valueOf(total);
      default -> throw new IllegalStateException(f.name());
    };
  }

  // ---- date_part ----

  /**
   * date_part(field, timestamp or time): PostgreSQL's float8 path of timestamp_part and
   * time_part, whose second-based fields are computed in double precision (not the numeric
   * EXTRACT value converted).
   */
  static CompiledExpr datePart(Expr.Call call) {
    if (call.args().size() != 2 || !(call.args().get(0) instanceof Expr.Literal l)
        || !(l.value() instanceof String name)) {
      throw new IllegalArgumentException("DATE_PART takes a constant field and a value: " + call);
    }
    Field field = Field.of(name);
    Kind kind = call.args().get(1).type().kind();
    if (kind != Kind.TIMESTAMP && kind != Kind.TIME || !extractable(field, kind)) {
      throw new IllegalArgumentException("DATE_PART(" + field + ") from " + kind
          + " is not supported");
    }
    CompiledExpr arg = Evaluator.compile(call.args().get(1));
    return row -> {
      Object v = arg.eval(row);
      if (v == null) {
        return null;
      }
      LocalTime t = v instanceof LocalDateTime ts ? ts.toLocalTime() : (LocalTime) v;
      double fsec = t.getNano() / 1000;
      return switch (field) {
        case MICROSECONDS -> t.getSecond() * 1_000_000.0 + fsec;
        case MILLISECONDS -> t.getSecond() * 1000.0 + fsec / 1000.0;
        case SECOND -> t.getSecond() + fsec / 1_000_000.0;
        case EPOCH -> v instanceof LocalDateTime ts
            ? (double) (ts.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + ts.getNano() / 1000)
                / 1_000_000.0
            : (double) (t.toNanoOfDay() / 1000) / 1_000_000.0;
        case HOUR -> (double) t.getHour();
        case MINUTE -> (double) t.getMinute();
        default -> kind == Kind.TIME ? fromTime(field, t).doubleValue()
            : (double) dateField(field, ((LocalDateTime) v).toLocalDate());
      };
    };
  }

  // ---- date_trunc ----

  /** date_trunc's units; {@code WEEK} truncates to the ISO week's Monday. */
  enum TruncUnit {
    MICROSECONDS, MILLISECONDS, SECOND, MINUTE, HOUR, DAY, WEEK, MONTH, QUARTER, YEAR, DECADE,
    CENTURY, MILLENNIUM;

    static TruncUnit of(String name) {
      String n = name.toUpperCase(Locale.ROOT);
      return switch (n) {
        case "MICROSECOND" -> MICROSECONDS;
        case "MILLISECOND" -> MILLISECONDS;
        case "SECONDS", "MINUTES", "HOURS", "DAYS", "WEEKS", "MONTHS", "QUARTERS", "YEARS",
            "DECADES", "CENTURIES", "MILLENNIA" -> switch (n) {
              case "CENTURIES" -> CENTURY;
              case "MILLENNIA" -> MILLENNIUM;
              default -> valueOf(n.substring(0, n.length() - 1));
            };
        default -> valueOf(n);
      };
    }
  }

  /** date_trunc(unit, timestamp), following timestamp_trunc in timestamp.c. */
  static CompiledExpr dateTrunc(TruncUnit unit, CompiledExpr arg) {
    return row -> {
      Object v = arg.eval(row);
      return v == null ? null : trunc(unit, (LocalDateTime) v);
    };
  }

  static LocalDateTime trunc(TruncUnit unit, LocalDateTime t) {
    return switch (unit) {
      case MICROSECONDS -> t;
      case MILLISECONDS -> t.truncatedTo(ChronoUnit.MILLIS);
      case SECOND -> t.truncatedTo(ChronoUnit.SECONDS);
      case MINUTE -> t.truncatedTo(ChronoUnit.MINUTES);
      case HOUR -> t.truncatedTo(ChronoUnit.HOURS);
      case DAY -> t.truncatedTo(ChronoUnit.DAYS);
      case WEEK -> t.toLocalDate().with(DayOfWeek.MONDAY).atStartOfDay();
      case MONTH -> t.toLocalDate().withDayOfMonth(1).atStartOfDay();
      case QUARTER -> LocalDate.of(t.getYear(), (t.getMonthValue() - 1) / 3 * 3 + 1, 1)
          .atStartOfDay();
      case YEAR -> LocalDate.of(t.getYear(), 1, 1).atStartOfDay();
      case DECADE, CENTURY, MILLENNIUM -> LocalDate.of(truncYear(unit, t.getYear()), 1, 1)
          .atStartOfDay();
    };
  }

  private static int truncYear(TruncUnit unit, int y) {
    return switch (unit) {
      case MILLENNIUM -> y > 0 ? ((y + 999) / 1000) * 1000 - 999
          : -((999 - (y - 1)) / 1000) * 1000 + 1;
      case CENTURY -> y > 0 ? ((y + 99) / 100) * 100 - 99 : -((99 - (y - 1)) / 100) * 100 + 1;
      default -> y > 0 ? (y / 10) * 10 : -((8 - (y - 1)) / 10) * 10;
    };
  }
}
