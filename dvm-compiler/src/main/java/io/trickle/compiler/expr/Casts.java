package io.trickle.compiler.expr;

import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.ColumnType.Kind;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Conversions between runtime kinds with PostgreSQL's explicit-cast rules, chosen once per
 * expression from the source and target types. A converter never sees NULL.
 */
final class Casts {
  private Casts() {}

  private static final Pattern VARCHAR =
      Pattern.compile("(?:character varying|varchar)\\((\\d+)\\)");
  private static final Pattern BPCHAR = Pattern.compile("(?:character|char|bpchar)\\((\\d+)\\)");

  /** Wraps {@code arg} so its value is converted from {@code from} to {@code to}; NULL stays. */
  static CompiledExpr cast(CompiledExpr arg, ColumnType from, ColumnType to) {
    UnaryOperator<Object> f = converter(from, to);
    if (f == null) {
      return arg;
    }
    return row -> {
      Object v = arg.eval(row);
      return v == null ? null : f.apply(v);
    };
  }

  /** Converts operands of arithmetic, CASE and COALESCE to the result kind; typmods untouched. */
  static CompiledExpr coerce(CompiledExpr arg, ColumnType from, ColumnType to) {
    if (from.kind() == to.kind()) {
      return arg;
    }
    return cast(arg, from, ColumnType.of(to.kind()));
  }

  /** @return the conversion, or null when values pass through unchanged */
  static UnaryOperator<Object> converter(ColumnType from, ColumnType to) {
    Kind f = from.kind();
    if (f == Kind.JSONB && to.kind() != Kind.JSONB && to.kind() != Kind.TEXT) {
      return JsonbCasts.fromJsonb(to);
    }
    return switch (to.kind()) {
      case BOOLEAN -> toBoolean(f);
      case SMALLINT, INTEGER, BIGINT -> toInteger(f, IntRange.of(to.kind()));
      case NUMERIC -> toNumeric(f, to);
      case REAL -> toFloating(f, true);
      case DOUBLE -> toFloating(f, false);
      case TEXT -> toText(f, to);
      case DATE -> toDate(f);
      case TIME -> toTime(f);
      case TIMESTAMP -> toTimestamp(f);
      case TIMESTAMPTZ -> toTimestamptz(f);
      case INTERVAL -> {
        if (f != Kind.INTERVAL) {
          throw unsupported(f, Kind.INTERVAL);
        }
        yield null;
      }
      case UUID -> switch (f) {
        case UUID -> null;
        case TEXT -> v -> PgUuid.parse((String) v);
        default -> throw unsupported(f, Kind.UUID);
      };
      case JSONB -> JsonbCasts.toJsonb(f);
      // Only casts that change nothing (nullability, the same element kind) are supported.
      case ARRAY -> {
        if (f != Kind.ARRAY || from.element().kind() != to.element().kind()
            || to.element().precision() >= 0 || to.element().scale() >= 0) {
          throw unsupported(f, Kind.ARRAY);
        }
        yield null;
      }
    };
  }

  private static IllegalArgumentException unsupported(Kind from, Kind to) {
    return new IllegalArgumentException("cannot cast " + from + " to " + to);
  }

  private static UnaryOperator<Object> toBoolean(Kind from) {
    return switch (from) {
      case BOOLEAN -> null;
      case SMALLINT, INTEGER, BIGINT -> v -> (Long) v != 0L;
      case TEXT -> v -> PgText.parseBoolean((String) v);
      default -> throw unsupported(from, Kind.BOOLEAN);
    };
  }

  private static UnaryOperator<Object> toInteger(Kind from, IntRange range) {
    return switch (from) {
      case SMALLINT, INTEGER, BIGINT -> v -> range.check((Long) v);
      case BOOLEAN -> v -> (Boolean) v ? 1L : 0L;
      // numeric_int4 and friends round half away from zero
      case NUMERIC -> v -> {
        BigDecimal r = ((BigDecimal) v).setScale(0, RoundingMode.HALF_UP);
        if (r.compareTo(BigDecimal.valueOf(range.min())) < 0
            || r.compareTo(BigDecimal.valueOf(range.max())) > 0) {
          throw range.outOfRange();
        }
        return r.longValue();
      };
      // float8_int4 and friends use rint(), which rounds half to even
      case REAL, DOUBLE -> v -> {
        double r = Math.rint((Double) v);
        if (Double.isNaN(r) || r < range.min() || r >= -(double) range.min()) {
          throw range.outOfRange();
        }
        return range.check((long) r);
      };
      case TEXT -> v -> PgText.parseInteger((String) v, range);
      default -> throw unsupported(from, Kind.BIGINT);
    };
  }

  private static UnaryOperator<Object> toNumeric(Kind from, ColumnType to) {
    UnaryOperator<Object> base = switch (from) {
      case NUMERIC -> null;
      case SMALLINT, INTEGER, BIGINT -> v -> BigDecimal.valueOf((Long) v);
      // float4_numeric/float8_numeric print FLT_DIG/DBL_DIG significant digits first
      case REAL -> v -> floatToNumeric((Double) v, 6);
      case DOUBLE -> v -> floatToNumeric((Double) v, 15);
      case TEXT -> v -> PgText.parseNumeric((String) v);
      default -> throw unsupported(from, Kind.NUMERIC);
    };
    if (to.precision() <= 0) {
      return base;
    }
    int precision = to.precision();
    int scale = Math.max(to.scale(), 0);
    UnaryOperator<Object> typmod = v -> applyTypmod((BigDecimal) v, precision, scale);
    return base == null ? typmod : v -> typmod.apply(base.apply(v));
  }

  private static BigDecimal floatToNumeric(double d, int digits) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new EvalException("0A000", "numeric " + PgText.formatDouble(d, false)
          + " is not supported by trickle");
    }
    if (d == 0.0) {
      return BigDecimal.ZERO;
    }
    BigDecimal r = new BigDecimal(d).round(new MathContext(digits, RoundingMode.HALF_EVEN))
        .stripTrailingZeros();
    return PgNumeric.normalizeScale(r);
  }

  /** apply_typmod: round half away from zero to the scale, then check the integer digits. */
  static BigDecimal applyTypmod(BigDecimal v, int precision, int scale) {
    BigDecimal r = v.setScale(scale, RoundingMode.HALF_UP);
    if (r.signum() != 0 && r.precision() - r.scale() > precision - scale) {
      throw new EvalException("22003", "numeric field overflow");
    }
    return scale < 0 ? r.setScale(0, RoundingMode.UNNECESSARY) : r;
  }

  private static UnaryOperator<Object> toFloating(Kind from, boolean real) {
    return switch (from) {
      case SMALLINT, INTEGER, BIGINT -> real
          ? v -> (double) (float) (long) (Long) v
          : v -> (double) (long) (Long) v;
      case NUMERIC -> real
          ? v -> (double) Float.parseFloat(((BigDecimal) v).toString())
          : v -> ((BigDecimal) v).doubleValue();
      case REAL -> null;
      case DOUBLE -> real ? v -> toReal((Double) v) : null;
      case TEXT -> v -> PgText.parseDouble((String) v, real);
      default -> throw unsupported(from, real ? Kind.REAL : Kind.DOUBLE);
    };
  }

  /** dtof: overflow and underflow are errors, infinities and NaN pass. */
  private static Double toReal(double d) {
    float f = (float) d;
    if (Float.isInfinite(f) && !Double.isInfinite(d)) {
      throw Arithmetic.overflow();
    }
    if (f == 0.0f && d != 0.0) {
      throw Arithmetic.underflow();
    }
    return (double) f;
  }

  private static UnaryOperator<Object> toText(Kind from, ColumnType to) {
    UnaryOperator<Object> base = switch (from) {
      case TEXT -> null;
      case BOOLEAN -> v -> PgText.formatBoolean((Boolean) v);
      case SMALLINT, INTEGER, BIGINT -> v -> Long.toString((Long) v);
      case NUMERIC -> v -> PgText.formatNumeric((BigDecimal) v);
      case REAL -> v -> PgText.formatDouble((Double) v, true);
      case DOUBLE -> v -> PgText.formatDouble((Double) v, false);
      case DATE -> v -> PgText.formatDate((LocalDate) v);
      case TIME -> v -> PgText.formatTime((LocalTime) v);
      case TIMESTAMP -> v -> PgText.formatTimestamp((LocalDateTime) v);
      case TIMESTAMPTZ -> v -> PgText.formatTimestamptz((Instant) v);
      case INTERVAL -> v -> v.toString();
      case UUID -> null;
      case JSONB -> v -> v.toString();
      case ARRAY -> throw unsupported(from, Kind.TEXT);
    };
    UnaryOperator<Object> length = lengthLimit(to.pgType());
    if (length == null) {
      return base;
    }
    return base == null ? length : v -> length.apply(base.apply(v));
  }

  /** Explicit casts to varchar(n)/char(n) truncate silently; char(n) drops trailing blanks. */
  private static UnaryOperator<Object> lengthLimit(String pgType) {
    Matcher vc = VARCHAR.matcher(pgType);
    if (vc.matches()) {
      int n = Integer.parseInt(vc.group(1));
      return v -> truncate((String) v, n);
    }
    Matcher bp = BPCHAR.matcher(pgType);
    if (bp.matches()) {
      int n = Integer.parseInt(bp.group(1));
      return v -> stripTrailingBlanks(truncate((String) v, n));
    }
    return null;
  }

  private static String truncate(String s, int codePoints) {
    if (s.length() <= codePoints) {
      return s;
    }
    if (s.codePointCount(0, s.length()) <= codePoints) {
      return s;
    }
    return s.substring(0, s.offsetByCodePoints(0, codePoints));
  }

  private static String stripTrailingBlanks(String s) {
    int e = s.length();
    while (e > 0 && s.charAt(e - 1) == ' ') {
      e--;
    }
    return s.substring(0, e);
  }

  private static UnaryOperator<Object> toDate(Kind from) {
    return switch (from) {
      case DATE -> null;
      case TIMESTAMP -> v -> ((LocalDateTime) v).toLocalDate();
      case TIMESTAMPTZ -> throw needsZone(from, Kind.DATE);
      case TEXT -> v -> PgText.parseDate((String) v);
      default -> throw unsupported(from, Kind.DATE);
    };
  }

  private static UnaryOperator<Object> toTime(Kind from) {
    return switch (from) {
      case TIME -> null;
      case TIMESTAMP -> v -> ((LocalDateTime) v).toLocalTime();
      case TIMESTAMPTZ -> throw needsZone(from, Kind.TIME);
      case TEXT -> v -> PgText.parseTime((String) v);
      default -> throw unsupported(from, Kind.TIME);
    };
  }

  private static UnaryOperator<Object> toTimestamp(Kind from) {
    return switch (from) {
      case TIMESTAMP -> null;
      case DATE -> v -> ((LocalDate) v).atStartOfDay();
      case TIMESTAMPTZ -> throw needsZone(from, Kind.TIMESTAMP);
      case TEXT -> v -> PgText.parseTimestamp((String) v);
      default -> throw unsupported(from, Kind.TIMESTAMP);
    };
  }

  private static UnaryOperator<Object> toTimestamptz(Kind from) {
    return switch (from) {
      case TIMESTAMPTZ -> null;
      case DATE, TIMESTAMP -> throw needsZone(from, Kind.TIMESTAMPTZ);
      case TEXT -> v -> PgText.parseTimestamptz((String) v);
      default -> throw unsupported(from, Kind.TIMESTAMPTZ);
    };
  }

  /**
   * These casts read PostgreSQL's TimeZone setting; the translator builds them from
   * {@link Operator#AT_TIME_ZONE} with the plan's pinned zone, so a plain CAST never guesses one.
   */
  private static IllegalArgumentException needsZone(Kind from, Kind to) {
    return new IllegalArgumentException("a cast from " + from + " to " + to + " depends on the"
        + " TimeZone setting; build it with AT_TIME_ZONE and the plan's time zone");
  }
}
