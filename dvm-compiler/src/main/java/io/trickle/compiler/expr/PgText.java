package io.trickle.compiler.expr;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL's text input and output functions for the runtime kinds (boolin/boolout, int*in,
 * numeric_in, float8in/float8out, date/time with DateStyle ISO). timestamptz is read and
 * written as if the session TimeZone were UTC.
 */
final class PgText {
  private PgText() {}

  private static final Pattern NUMERIC =
      Pattern.compile("[+-]?(?:\\d+(?:_\\d+)*(?:\\.(?:\\d+(?:_\\d+)*)?)?|\\.\\d+(?:_\\d+)*)"
          + "(?:[eE][+-]?\\d+)?");
  private static final Pattern NUMERIC_NON_DECIMAL = Pattern.compile(
      "([+-]?)0(?:[xX]((?:_?[0-9a-fA-F])+)|[oO]((?:_?[0-7])+)|[bB]((?:_?[01])+))");
  private static final Pattern FLOAT =
      Pattern.compile("[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?");
  private static final Pattern HEX_FLOAT =
      Pattern.compile("[+-]?0[xX](?:[0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)(?:[pP][+-]?\\d+)?");
  private static final Pattern DATE =
      Pattern.compile("(\\d{4,})-(\\d{1,2})-(\\d{1,2})|(\\d{4})(\\d{2})(\\d{2})");
  private static final Pattern TIME =
      Pattern.compile("(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d*))?)?");
  private static final Pattern ZONE = Pattern.compile("(?:[zZ]|([+-])(\\d{1,2})(?::?(\\d{2}))?)");
  private static final Pattern TIMESTAMP = Pattern.compile(
      "(\\d{4,}-\\d{1,2}-\\d{1,2}|\\d{8})(?:[ Tt]+(\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d*)?)?))?\\s*("
          + ZONE.pattern() + ")?");

  // ---- output ----

  static String formatBoolean(boolean b) {
    return b ? "true" : "false";
  }

  static String formatNumeric(BigDecimal d) {
    return PgNumeric.normalizeScale(d).toPlainString();
  }

  /**
   * float8out/float4out since PostgreSQL 12: the shortest decimal that reads back as the same
   * value, in %e style when the decimal exponent is below -4 or at least 15 (float4: 6).
   */
  static String formatDouble(double d, boolean real) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == 0.0) {
      return 1.0 / d < 0 ? "-0" : "0";
    }
    BigDecimal shortest = shortest(d, real).stripTrailingZeros();
    int exp = shortest.precision() - shortest.scale() - 1;
    if (exp >= -4 && exp < (real ? 6 : 15)) {
      return PgNumeric.normalizeScale(shortest).toPlainString();
    }
    String digits = shortest.unscaledValue().abs().toString();
    StringBuilder sb = new StringBuilder();
    if (shortest.signum() < 0) {
      sb.append('-');
    }
    sb.append(digits.charAt(0));
    if (digits.length() > 1) {
      sb.append('.').append(digits, 1, digits.length());
    }
    sb.append('e').append(exp < 0 ? '-' : '+');
    int a = Math.abs(exp);
    if (a < 10) {
      sb.append('0');
    }
    return sb.append(a).toString();
  }

  /**
   * The fewest significant digits that read back as {@code d}; the closer one when floor and
   * ceiling both do. Like PostgreSQL's Ryu, a decimal exactly halfway to a neighbour does not
   * count (so 1e23 prints as 9.999999999999999e+22).
   */
  private static BigDecimal shortest(double d, boolean real) {
    BigDecimal exact = new BigDecimal(d);
    double below = real ? (double) Math.nextDown((float) d) : Math.nextDown(d);
    double above = real ? (double) Math.nextUp((float) d) : Math.nextUp(d);
    BigDecimal low = midpoint(exact, below, above);
    BigDecimal high = midpoint(exact, above, below);
    int max = real ? 9 : 17;
    for (int p = 1; p <= max; p++) {
      BigDecimal down = exact.round(new MathContext(p, RoundingMode.DOWN));
      BigDecimal up = exact.round(new MathContext(p, RoundingMode.UP));
      boolean downOk = inside(down, low, high);
      boolean upOk = inside(up, low, high);
      if (downOk && upOk) {
        int c = exact.subtract(down).abs().compareTo(up.subtract(exact).abs());
        return c < 0 ? down : c > 0 ? up : exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      }
      if (downOk) {
        return down;
      }
      if (upOk) {
        return up;
      }
    }
    return exact.round(new MathContext(max, RoundingMode.HALF_EVEN));
  }

  /** Halfway between {@code d} and its neighbour (mirrored when the neighbour is infinite). */
  private static BigDecimal midpoint(BigDecimal exact, double neighbour, double opposite) {
    if (Double.isInfinite(neighbour)) {
      BigDecimal other = new BigDecimal(opposite);
      return exact.add(exact.subtract(other).divide(BigDecimal.valueOf(2)));
    }
    return exact.add(new BigDecimal(neighbour)).divide(BigDecimal.valueOf(2));
  }

  private static boolean inside(BigDecimal c, BigDecimal low, BigDecimal high) {
    return c.compareTo(low) > 0 && c.compareTo(high) < 0;
  }

  static String formatDate(LocalDate d) {
    int year = d.getYear();
    boolean bc = year <= 0;
    int shown = bc ? 1 - year : year;
    String s = String.format(Locale.ROOT, "%04d-%02d-%02d", shown, d.getMonthValue(),
        d.getDayOfMonth());
    return bc ? s + " BC" : s;
  }

  static String formatTime(LocalTime t) {
    StringBuilder sb = new StringBuilder(15);
    two(sb, t.getHour()).append(':');
    two(sb, t.getMinute()).append(':');
    two(sb, t.getSecond());
    int micros = t.getNano() / 1000;
    if (micros != 0) {
      String f = String.format(Locale.ROOT, "%06d", micros);
      int end = f.length();
      while (f.charAt(end - 1) == '0') {
        end--;
      }
      sb.append('.').append(f, 0, end);
    }
    return sb.toString();
  }

  static String formatTimestamp(LocalDateTime ts) {
    String date = formatDate(ts.toLocalDate());
    String time = formatTime(ts.toLocalTime());
    return date.endsWith(" BC")
        ? date.substring(0, date.length() - 3) + " " + time + " BC"
        : date + " " + time;
  }

  static String formatTimestamptz(Instant i) {
    return formatTimestamp(LocalDateTime.ofInstant(i, ZoneOffset.UTC)) + "+00";
  }

  private static StringBuilder two(StringBuilder sb, int v) {
    if (v < 10) {
      sb.append('0');
    }
    return sb.append(v);
  }

  // ---- input ----

  /** PostgreSQL's isspace() set, which is what its input functions skip. */
  static String trim(String s) {
    int b = 0;
    int e = s.length();
    while (b < e && isSpace(s.charAt(b))) {
      b++;
    }
    while (e > b && isSpace(s.charAt(e - 1))) {
      e--;
    }
    return s.substring(b, e);
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u000b' || c == '\f';
  }

  static EvalException invalid(String type, String input) {
    return new EvalException("22P02",
        "invalid input syntax for type " + type + ": \"" + input + "\"");
  }

  /** boolin: any non-empty prefix of true/false/yes/no, on/off (two letters at least), 1/0. */
  static boolean parseBoolean(String input) {
    String s = trim(input).toLowerCase(Locale.ROOT);
    if (!s.isEmpty()) {
      switch (s.charAt(0)) {
        case 't':
          if ("true".startsWith(s)) {
            return true;
          }
          break;
        case 'f':
          if ("false".startsWith(s)) {
            return false;
          }
          break;
        case 'y':
          if ("yes".startsWith(s)) {
            return true;
          }
          break;
        case 'n':
          if ("no".startsWith(s)) {
            return false;
          }
          break;
        case 'o':
          if (s.equals("on")) {
            return true;
          }
          if (s.length() >= 2 && "off".startsWith(s)) {
            return false;
          }
          break;
        case '1':
          if (s.length() == 1) {
            return true;
          }
          break;
        case '0':
          if (s.length() == 1) {
            return false;
          }
          break;
        default:
          break;
      }
    }
    throw invalid("boolean", input);
  }

  /**
   * pg_strtoint16/32/64 (PostgreSQL 16+): optional sign, decimal digits or a 0x/0o/0b prefix,
   * single underscores between digits, surrounding whitespace.
   */
  static long parseInteger(String input, IntRange range) {
    String s = trim(input);
    int i = 0;
    int n = s.length();
    boolean negative = false;
    if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      negative = s.charAt(i) == '-';
      i++;
    }
    int radix = 10;
    boolean prefixed = false;
    if (i + 1 < n && s.charAt(i) == '0') {
      char p = Character.toLowerCase(s.charAt(i + 1));
      radix = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 10;
      if (radix != 10) {
        i += 2;
        prefixed = true;
      }
    }
    int first = i;
    long acc = 0; // accumulated as a negative number so that MIN_VALUE fits
    boolean overflow = false;
    while (i < n) {
      char c = s.charAt(i);
      int digit = Character.digit(c, radix);
      if (digit >= 0 && c < 128) {
        if (!overflow) {
          try {
            acc = Math.subtractExact(Math.multiplyExact(acc, radix), digit);
          } catch (ArithmeticException e) {
            overflow = true;
          }
        }
        i++;
      } else if (c == '_' && (prefixed || i > first) && i + 1 < n
          && Character.digit(s.charAt(i + 1), radix) >= 0 && s.charAt(i + 1) < 128) {
        i++;
      } else {
        throw invalid(range.pgName(), input);
      }
    }
    if (i == first) {
      throw invalid(range.pgName(), input);
    }
    if (!negative) {
      if (acc == Long.MIN_VALUE) {
        overflow = true;
      }
      acc = -acc;
    }
    if (overflow || acc < range.min() || acc > range.max()) {
      throw new EvalException("22003",
          "value \"" + input + "\" is out of range for type " + range.pgName());
    }
    return acc;
  }

  /** numeric_in for finite values; NaN and Infinity have no BigDecimal representation. */
  static BigDecimal parseNumeric(String input) {
    String s = trim(input);
    Matcher radix = NUMERIC_NON_DECIMAL.matcher(s);
    if (radix.matches()) {
      // PostgreSQL 16+ reads 0x/0o/0b integers in numeric input too
      int base = radix.group(2) != null ? 16 : radix.group(3) != null ? 8 : 2;
      String digits = radix.group(base == 16 ? 2 : base == 8 ? 3 : 4).replace("_", "");
      java.math.BigInteger v = new java.math.BigInteger(digits, base);
      return new BigDecimal(radix.group(1).equals("-") ? v.negate() : v);
    }
    if (!NUMERIC.matcher(s).matches()) {
      String l = s.toLowerCase(Locale.ROOT);
      if (l.equals("nan") || l.matches("[+-]?(inf|infinity)")) {
        throw new EvalException("0A000", "numeric " + s + " is not supported by trickle");
      }
      throw invalid("numeric", input);
    }
    try {
      return PgNumeric.normalizeScale(new BigDecimal(s.replace("_", "")));
    } catch (NumberFormatException | ArithmeticException e) {
      throw new EvalException("22003", "value overflows numeric format");
    }
  }

  /** float8in/float4in: decimal notation plus NaN, [+-]Infinity and [+-]inf in any case. */
  static double parseDouble(String input, boolean real) {
    String type = real ? "real" : "double precision";
    String s = trim(input);
    String l = s.toLowerCase(Locale.ROOT);
    switch (l) {
      case "nan":
        return Double.NaN;
      case "infinity", "+infinity", "inf", "+inf":
        return Double.POSITIVE_INFINITY;
      case "-infinity", "-inf":
        return Double.NEGATIVE_INFINITY;
      default:
        break;
    }
    String javaSyntax = s;
    if (HEX_FLOAT.matcher(s).matches()) {
      // strtod reads C99 hex floats; Java needs the binary exponent spelled out
      javaSyntax = s.indexOf('p') < 0 && s.indexOf('P') < 0 ? s + "p0" : s;
    } else if (!FLOAT.matcher(s).matches()) {
      throw invalid(type, input);
    }
    double d = real ? Float.parseFloat(javaSyntax) : Double.parseDouble(javaSyntax);
    if (Double.isInfinite(d) || (d == 0.0 && javaSyntax.equals(s)
        && new BigDecimal(s).signum() != 0)) {
      throw new EvalException("22003", "\"" + input + "\" is out of range for type " + type);
    }
    return d;
  }

  static LocalDate parseDate(String input) {
    Matcher m = TIMESTAMP.matcher(trim(input));
    if (!m.matches()) {
      throw new EvalException("22007", "invalid input syntax for type date: \"" + input + "\"");
    }
    return date(m.group(1), input);
  }

  static LocalTime parseTime(String input) {
    String s = trim(input);
    Matcher m = TIME.matcher(s);
    if (!m.matches()) {
      throw new EvalException("22007",
          "invalid input syntax for type time: \"" + input + "\"");
    }
    return time(m, input);
  }

  static LocalDateTime parseTimestamp(String input) {
    Matcher m = TIMESTAMP.matcher(trim(input));
    if (!m.matches() || m.group(3) != null) {
      throw new EvalException("22007",
          "invalid input syntax for type timestamp: \"" + input + "\"");
    }
    return dateTime(m, input);
  }

  static Instant parseTimestamptz(String input) {
    Matcher m = TIMESTAMP.matcher(trim(input));
    if (!m.matches()) {
      throw new EvalException("22007",
          "invalid input syntax for type timestamp with time zone: \"" + input + "\"");
    }
    LocalDateTime local = dateTime(m, input);
    int offsetSeconds = 0;
    if (m.group(4) != null) {
      int hours = Integer.parseInt(m.group(5));
      int minutes = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
      offsetSeconds = (hours * 3600 + minutes * 60) * (m.group(4).equals("-") ? -1 : 1);
    }
    try {
      return local.toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
    } catch (DateTimeException e) {
      throw fieldOutOfRange(input);
    }
  }

  private static LocalDateTime dateTime(Matcher m, String input) {
    LocalDate date = date(m.group(1), input);
    if (m.group(2) == null) {
      return date.atStartOfDay();
    }
    Matcher t = TIME.matcher(m.group(2));
    if (!t.matches()) {
      throw fieldOutOfRange(input);
    }
    return date.atTime(time(t, input));
  }

  private static LocalDate date(String text, String input) {
    Matcher d = DATE.matcher(text);
    if (!d.matches()) {
      throw fieldOutOfRange(input);
    }
    int g = d.group(1) != null ? 1 : 4;
    try {
      return LocalDate.of(Integer.parseInt(d.group(g)), Integer.parseInt(d.group(g + 1)),
          Integer.parseInt(d.group(g + 2)));
    } catch (DateTimeException | NumberFormatException e) {
      throw fieldOutOfRange(input);
    }
  }

  private static LocalTime time(Matcher m, String input) {
    try {
      int h = Integer.parseInt(m.group(1));
      int min = Integer.parseInt(m.group(2));
      int sec = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
      long nanos = 0;
      if (m.group(4) != null && !m.group(4).isEmpty()) {
        // PostgreSQL keeps microseconds, rounding half away from zero
        BigDecimal frac = new BigDecimal("0." + m.group(4)).setScale(6, RoundingMode.HALF_UP);
        nanos = frac.movePointRight(9).longValueExact();
      }
      if (h == 24 && min == 0 && sec == 0 && nanos == 0) {
        throw new EvalException("0A000", "time 24:00:00 is not supported by trickle");
      }
      return LocalTime.of(h, min, sec).plusNanos(nanos);
    } catch (DateTimeException | ArithmeticException e) {
      throw fieldOutOfRange(input);
    }
  }

  private static EvalException fieldOutOfRange(String input) {
    return new EvalException("22008", "date/time field value out of range: \"" + input + "\"");
  }
}
