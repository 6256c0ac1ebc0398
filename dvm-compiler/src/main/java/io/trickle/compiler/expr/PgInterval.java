package io.trickle.compiler.expr;

import java.time.LocalDateTime;

/**
 * PostgreSQL's interval: months, days and microseconds kept apart, because a month and a day have
 * no fixed length ({@code date '2024-01-31' + interval '1 month'} is 2024-02-29). Exists only
 * inside expressions and as output columns (a source column of this type is not supported).
 */
public record PgInterval(int months, int days, long micros) implements Comparable<PgInterval> {

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

  /** Microseconds in PostgreSQL's 24-hour day, used by comparison (interval_cmp_value). */
  static final long MICROS_PER_DAY = 86_400_000_000L;

  /**
   * PostgreSQL's interval order: by {@code (months * 30 + days) * 24h + micros}, so
   * {@code '1 mon'} equals {@code '30 days'} and {@code '1 day'} equals {@code '24:00:00'}.
   */
  @Override
  public int compareTo(PgInterval o) {
    long[] a = normalized();
    long[] b = o.normalized();
    int c = Long.compare(a[0], b[0]);
    return c != 0 ? c : Long.compare(a[1], b[1]);
  }

  /** Whole days and the remaining non-negative microseconds of the comparison value. */
  private long[] normalized() {
    long d = months * 30L + days + Math.floorDiv(micros, MICROS_PER_DAY);
    return new long[] {d, Math.floorMod(micros, MICROS_PER_DAY)};
  }

  /**
   * The one value among all intervals equal to this one (as {@link #compareTo} sees them) that
   * grouping and join keys use: 30-day months, days below 30, time below 24 hours.
   */
  public PgInterval canonical() {
    long[] n = normalized();
    return new PgInterval(Math.toIntExact(Math.floorDiv(n[0], 30)),
        (int) Math.floorMod(n[0], 30), n[1]);
  }

  /** PostgreSQL's default output style ({@code IntervalStyle = postgres}), as EncodeInterval. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    // Each nonzero field decides whether the next positive one gets an explicit '+'.
    boolean[] before = {false};
    part(sb, months / 12, "year", before);
    part(sb, months % 12, "mon", before);
    part(sb, days, "day", before);
    if (micros != 0 || sb.length() == 0) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      long abs = Math.abs(micros);
      if (micros < 0) {
        sb.append('-');
      } else if (before[0]) {
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

  private static void part(StringBuilder sb, int n, String name, boolean[] before) {
    if (n == 0) {
      return;
    }
    if (sb.length() > 0) {
      sb.append(' ');
    }
    if (before[0] && n > 0) {
      sb.append('+');
    }
    sb.append(n).append(' ').append(name).append(n == 1 ? "" : "s");
    before[0] = n < 0;
  }
}
