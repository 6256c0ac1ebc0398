package io.trickle.compiler.expr;

import java.time.LocalDateTime;

/**
 * PostgreSQL's interval: months, days and microseconds kept apart, because a month and a day have
 * no fixed length ({@code date '2024-01-31' + interval '1 month'} is 2024-02-29). Exists only
 * inside expressions (date and timestamp arithmetic); no column has this type.
 */
public record PgInterval(int months, int days, long micros) {

  public static PgInterval ofMonths(int months) {
    return new PgInterval(months, 0, 0);
  }

  public PgInterval negate() {
    try {
      return new PgInterval(Math.negateExact(months), Math.negateExact(days),
          Math.negateExact(micros));
    } catch (ArithmeticException e) {
      throw new EvalException("22008", "interval out of range");
    }
  }

  /**
   * timestamp_pl_interval: months first (the day is clamped to the month's last day), then days,
   * then microseconds.
   */
  LocalDateTime addTo(LocalDateTime t) {
    LocalDateTime r = t;
    if (months != 0) {
      r = r.plusMonths(months);
    }
    if (days != 0) {
      r = r.plusDays(days);
    }
    if (micros != 0) {
      r = r.plusSeconds(Math.floorDiv(micros, 1_000_000L))
          .plusNanos(Math.floorMod(micros, 1_000_000L) * 1000L);
    }
    return DateTimes.checkTimestamp(r);
  }

  /** PostgreSQL's default output style ({@code IntervalStyle = postgres}). */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    int years = months / 12;
    int mons = months % 12;
    unit(sb, years, "year");
    unit(sb, mons, "mon");
    unit(sb, days, "day");
    if (micros != 0 || sb.length() == 0) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      long abs = Math.abs(micros);
      boolean negative = micros < 0;
      if (negative) {
        sb.append('-');
      } else if (years < 0 || mons < 0 || days < 0) {
        sb.append('+');
      }
      long secs = abs / 1_000_000L;
      long frac = abs % 1_000_000L;
      sb.append(String.format("%02d:%02d:%02d", secs / 3600, secs / 60 % 60, secs % 60));
      if (frac != 0) {
        String f = String.format("%06d", frac);
        sb.append('.').append(f.replaceFirst("0+$", ""));
      }
    }
    return sb.toString();
  }

  private static void unit(StringBuilder sb, int n, String name) {
    if (n == 0) {
      return;
    }
    if (sb.length() > 0) {
      sb.append(' ');
    }
    sb.append(n).append(' ').append(name).append(n == 1 ? "" : "s");
  }
}
