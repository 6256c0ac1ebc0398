package io.trickle.compiler.translate;

import io.trickle.compiler.CompileException;
import io.trickle.compiler.expr.Expr;
import io.trickle.compiler.expr.Operator;
import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.ColumnType.Kind;
import io.trickle.compiler.plan.SqlPos;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Supplier;

/**
 * The TimeZone a plan is evaluated in. PostgreSQL's casts between timestamptz and date, time or
 * timestamp, date_trunc and EXTRACT over timestamptz, and comparisons of timestamptz with date
 * or timestamp read the session's TimeZone; a stream table pins one zone per definition, writes
 * it into the plan (the expressions name it, and {@code explain} prints it) and evaluates with
 * it. Set for the duration of one translation by {@link #with}; the translator asks for it only
 * where an expression depends on it, so a plan that does not records no zone.
 */
public final class PinnedTimeZone {
  private static final ThreadLocal<PinnedTimeZone> CURRENT = new ThreadLocal<>();
  private static final ColumnType TIMESTAMP = ColumnType.of(Kind.TIMESTAMP);
  private static final ColumnType TIMESTAMPTZ = ColumnType.of(Kind.TIMESTAMPTZ);
  private static final ColumnType TEXT = ColumnType.of(Kind.TEXT);

  private final String name;
  private final String source;
  private boolean used;

  private PinnedTimeZone(String name, String source) {
    this.name = name;
    this.source = source;
  }

  /**
   * Runs one translation with {@code name} pinned.
   *
   * @param source where the zone came from, for messages (e.g. "option timezone")
   * @param usedBy receives the zone after the body ran, if the plan depends on it, else null
   */
  public static <T> T with(String name, String source, Supplier<T> body,
      java.util.function.Consumer<String> usedBy) {
    PinnedTimeZone previous = CURRENT.get();
    PinnedTimeZone pinned = new PinnedTimeZone(name, source);
    CURRENT.set(pinned);
    try {
      T result = body.get();
      usedBy.accept(pinned.used ? pinned.name : null);
      return result;
    } finally {
      CURRENT.set(previous);
    }
  }

  /** Whether {@code name} is a time zone the evaluator reads exactly as PostgreSQL does. */
  public static boolean isSupported(String name) {
    // Only tz database names: PostgreSQL reads POSIX strings such as 'UTC+3' with the sign
    // inverted (3 hours west), java.time the other way, and abbreviations are not zones.
    return name != null && ZoneId.getAvailableZoneIds().contains(name);
  }

  /** The pinned zone's name, as a literal for an expression; marks the plan as depending on it. */
  static Expr zoneLiteral(SqlPos pos) {
    PinnedTimeZone p = CURRENT.get();
    String zone = p == null ? "UTC" : p.name;
    if (!isSupported(zone)) {
      throw new CompileException(pos, "this expression depends on the TimeZone setting, and "
          + (p == null ? "no time zone" : "the time zone '" + zone + "' (" + p.source + ")")
          + " is not a tz database name that trickle can evaluate; pin one with"
          + " WITH (timezone = 'Europe/Paris') on the definition or trickle run --timezone");
    }
    if (p != null) {
      p.used = true;
    }
    return new Expr.Literal(zone, TEXT);
  }

  private static final java.util.regex.Pattern TIMESTAMPTZ_TEXT = java.util.regex.Pattern.compile(
      "(\\d{4}-\\d{2}-\\d{2})(?:[ T](\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,6})?)?))?"
          + "\\s*(Z|[+-]\\d{2}(?::?\\d{2})?)?");

  /**
   * {@code '2024-01-01'} or {@code '2024-01-01 12:00:00+02'} as a timestamptz, read as PostgreSQL
   * reads it when the query is parsed: without an offset, as a wall-clock time in the pinned
   * zone. Null for any other spelling (the caller rejects it).
   */
  static Expr timestamptzLiteral(String text, ColumnType target, SqlPos pos) {
    java.util.regex.Matcher m = TIMESTAMPTZ_TEXT.matcher(text.strip());
    if (!m.matches() || target.precision() >= 0) {
      return null;
    }
    try {
      java.time.LocalDateTime local = java.time.LocalDate.parse(m.group(1)).atTime(
          m.group(2) == null ? java.time.LocalTime.MIDNIGHT : java.time.LocalTime.parse(m.group(2)));
      java.time.Instant instant;
      if (m.group(3) == null) {
        String zone = (String) ((Expr.Literal) zoneLiteral(pos)).value();
        // PostgreSQL's choice at transitions, as expr.ZonedTimes.fromLocal makes it at run time.
        instant = java.time.ZonedDateTime.ofLocal(local, ZoneId.of(zone), null)
            .withLaterOffsetAtOverlap().toInstant();
      } else {
        String offset = m.group(3);
        if (offset.length() == 3) {
          offset += ":00";
        } else if (offset.length() == 5) {
          offset = offset.substring(0, 3) + ":" + offset.substring(3);
        }
        instant = local.toInstant(java.time.ZoneOffset.of(offset));
      }
      return new Expr.Literal(instant, ColumnType.of(Kind.TIMESTAMPTZ));
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }

  /** Whether converting {@code from} to {@code to} reads the TimeZone setting. */
  static boolean dependsOnZone(Kind from, Kind to) {
    return from != to && (from == Kind.TIMESTAMPTZ && isLocal(to)
        || to == Kind.TIMESTAMPTZ && isLocal(from));
  }

  private static boolean isLocal(Kind k) {
    return k == Kind.DATE || k == Kind.TIMESTAMP || k == Kind.TIME;
  }

  /**
   * The cast of {@code e} to {@code target} where {@link #dependsOnZone} (a time to timestamptz
   * has no cast in PostgreSQL and is rejected).
   */
  static Expr convert(Expr e, ColumnType target, SqlPos pos) {
    Kind from = e.type().kind();
    Kind to = target.kind();
    if (from == Kind.TIME) {
      throw new CompileException(pos, "a cast from time to timestamp with time zone does not"
          + " exist in PostgreSQL");
    }
    if (to == Kind.TIMESTAMPTZ) {
      Expr local = from == Kind.TIMESTAMP ? e : new Expr.Call(Operator.CAST, List.of(e), TIMESTAMP);
      Expr zoned = new Expr.Call(Operator.AT_TIME_ZONE, List.of(local, zoneLiteral(pos)),
          TIMESTAMPTZ);
      return target.equals(TIMESTAMPTZ) ? zoned
          : new Expr.Call(Operator.CAST, List.of(zoned), target);
    }
    Expr local = new Expr.Call(Operator.AT_TIME_ZONE, List.of(e, zoneLiteral(pos)), TIMESTAMP);
    return to == Kind.TIMESTAMP && target.equals(TIMESTAMP) ? local
        : new Expr.Call(Operator.CAST, List.of(local), target);
  }

  /**
   * For EXTRACT and date_part: a timestamptz as the pinned zone's wall-clock timestamp, or for
   * the epoch (which does not depend on the zone) as UTC's; anything else unchanged.
   */
  static Expr wallClock(Expr value, boolean epoch, SqlPos pos) {
    if (value.type().kind() != Kind.TIMESTAMPTZ) {
      return value;
    }
    if (epoch) {
      return new Expr.Call(Operator.AT_TIME_ZONE, List.of(value, new Expr.Literal("UTC", TEXT)),
          TIMESTAMP);
    }
    return convert(value, TIMESTAMP, pos);
  }
}
