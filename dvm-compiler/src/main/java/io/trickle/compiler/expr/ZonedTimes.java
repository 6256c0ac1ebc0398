package io.trickle.compiler.expr;

import io.trickle.compiler.plan.ColumnType.Kind;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The timestamptz conversions that depend on a time zone, computed for an explicit zone as
 * PostgreSQL computes them under that TimeZone setting ({@code AT TIME ZONE}, and date_trunc
 * over timestamptz). A wall-clock time that a transition skips (spring forward) is read with the
 * offset before the transition, and one it repeats (fall back) with the offset after it, as
 * PostgreSQL's DetermineTimeZoneOffset does.
 */
final class ZonedTimes {
  private ZonedTimes() {}

  /** The zone named by argument {@code i} of {@code call}, a text literal. */
  static ZoneId zone(Expr.Call call, int i) {
    if (!(call.args().get(i) instanceof Expr.Literal l) || !(l.value() instanceof String name)) {
      throw new IllegalArgumentException(call.op() + " needs a constant time zone: " + call);
    }
    try {
      return ZoneId.of(name);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("unknown time zone '" + name + "' in " + call, e);
    }
  }

  /** timestamptz to the zone's wall-clock timestamp, or a wall-clock timestamp to timestamptz. */
  static CompiledExpr atTimeZone(Kind from, Kind to, ZoneId zone, CompiledExpr arg) {
    if (from == Kind.TIMESTAMPTZ && to == Kind.TIMESTAMP) {
      return row -> {
        Object v = arg.eval(row);
        return v == null ? null
            : DateTimes.checkTimestamp(LocalDateTime.ofInstant((Instant) v, zone));
      };
    }
    if (from == Kind.TIMESTAMP && to == Kind.TIMESTAMPTZ) {
      return row -> {
        Object v = arg.eval(row);
        return v == null ? null : fromLocal((LocalDateTime) v, zone);
      };
    }
    throw new IllegalArgumentException("AT_TIME_ZONE from " + from + " to " + to
        + " is not supported");
  }

  /** The instant of a wall-clock time in {@code zone}, with PostgreSQL's choice at transitions. */
  static Instant fromLocal(LocalDateTime local, ZoneId zone) {
    // ofLocal moves a skipped time forward by the gap, which is reading it with the earlier
    // offset; at an overlap, PostgreSQL prefers the later offset.
    return ZonedDateTime.ofLocal(local, zone, null).withLaterOffsetAtOverlap().toInstant();
  }

  /**
   * date_trunc(unit, timestamptz) under TimeZone {@code zone}, following timestamptz_trunc in
   * timestamp.c: truncate the wall-clock time; for a day or longer unit find the offset of the
   * truncated time again, for a shorter one keep the original offset.
   */
  static CompiledExpr dateTrunc(DateTimes.TruncUnit unit, ZoneId zone, CompiledExpr arg) {
    boolean redoOffset = unit.compareTo(DateTimes.TruncUnit.DAY) >= 0;
    return row -> {
      Object v = arg.eval(row);
      if (v == null) {
        return null;
      }
      ZonedDateTime z = ((Instant) v).atZone(zone);
      LocalDateTime t = DateTimes.trunc(unit, z.toLocalDateTime());
      return redoOffset ? fromLocal(t, zone) : t.toInstant(z.getOffset());
    };
  }
}
