package io.trickle.compiler.expr;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL's interval input in its {@code postgres} style ({@code '1 year 2 mons -3 days
 * +04:05:06.5'}, {@code '90 days'}, {@code '2 hours 30 minutes'}, {@code '1 day ago'}), which is
 * also how PostgreSQL and trickle print intervals. Only the forms whose value is exact are
 * read: fractional amounts are accepted for seconds (up to 6 digits) and milliseconds (up to 3)
 * only, since PostgreSQL spreads other fractions over smaller units with its own rounding.
 */
public final class PgIntervalInput {
  private PgIntervalInput() {}

  private enum Field { MONTHS, DAYS, MICROS }

  private record Unit(Field field, long factor) {}

  private static final Map<String, Unit> UNITS = units();

  private static final Pattern NUMBER_UNIT =
      Pattern.compile("([+-]?)(\\d+)(?:\\.(\\d+))?([a-z]*)");
  private static final Pattern TIME =
      Pattern.compile("([+-]?)(\\d+):(\\d{1,2})(?::(\\d{1,2})(?:\\.(\\d{1,6}))?)?");

  private static Map<String, Unit> units() {
    Map<String, Unit> m = new java.util.HashMap<>();
    put(m, Field.MONTHS, 12, "y", "yr", "yrs", "year", "years");
    put(m, Field.MONTHS, 1, "mon", "mons", "month", "months");
    put(m, Field.MONTHS, 120, "dec", "decs", "decade", "decades");
    put(m, Field.MONTHS, 1200, "c", "cent", "century", "centuries");
    put(m, Field.MONTHS, 12000, "mil", "mils", "millennium", "millennia");
    put(m, Field.DAYS, 1, "d", "day", "days");
    put(m, Field.DAYS, 7, "w", "week", "weeks");
    put(m, Field.MICROS, 3_600_000_000L, "h", "hr", "hrs", "hour", "hours");
    put(m, Field.MICROS, 60_000_000L, "m", "min", "mins", "minute", "minutes");
    put(m, Field.MICROS, 1_000_000L, "s", "sec", "secs", "second", "seconds");
    put(m, Field.MICROS, 1_000L, "ms", "msec", "msecs", "msecond", "mseconds", "millisecond",
        "milliseconds", "millisecon");
    put(m, Field.MICROS, 1L, "us", "usec", "usecs", "usecond", "useconds", "microsecond",
        "microseconds", "microsecon");
    return Map.copyOf(m);
  }

  private static void put(Map<String, Unit> m, Field f, long factor, String... names) {
    for (String n : names) {
      m.put(n, new Unit(f, factor));
    }
  }

  /**
   * @throws IllegalArgumentException when the text is not one of the forms read here
   * @throws EvalException 22015 when a field leaves PostgreSQL's range
   */
  public static PgInterval parse(String text) {
    String[] tokens = text.strip().toLowerCase(Locale.ROOT).split("\\s+");
    long months = 0;
    long days = 0;
    long micros = 0;
    boolean ago = false;
    int i = 0;
    if (tokens.length > 0 && tokens[0].equals("@")) {
      i++;
    }
    if (tokens.length - i == 1 && tokens[i].matches("[+-]?\\d+(\\.\\d{1,6})?")) {
      // A lone number is seconds.
      return new PgInterval(0, 0, seconds(tokens[i], text));
    }
    if (tokens.length == i || tokens[i].isEmpty()) {
      throw unsupported(text);
    }
    for (; i < tokens.length; i++) {
      String t = tokens[i];
      if (t.equals("ago") && i == tokens.length - 1) {
        ago = true;
        continue;
      }
      Matcher time = TIME.matcher(t);
      if (time.matches()) {
        micros = add(micros, time(time, text));
        continue;
      }
      Matcher m = NUMBER_UNIT.matcher(t);
      if (!m.matches()) {
        throw unsupported(text);
      }
      String unitName = m.group(4);
      if (unitName.isEmpty()) {
        if (i + 1 >= tokens.length) {
          throw unsupported(text);
        }
        unitName = tokens[++i];
      }
      Unit unit = UNITS.get(unitName);
      if (unit == null) {
        throw unsupported(text);
      }
      long whole = Long.parseLong(m.group(2));
      String fraction = m.group(3);
      long value;
      if (fraction == null) {
        value = multiply(whole, unit.factor());
      } else {
        int digits = unit.factor() == 1_000_000L ? 6 : unit.factor() == 1_000L ? 3 : 0;
        if (unit.field() != Field.MICROS || fraction.length() > digits) {
          throw unsupported(text);
        }
        long frac = Long.parseLong((fraction + "000000").substring(0, digits));
        value = add(multiply(whole, unit.factor()), frac);
      }
      if (m.group(1).equals("-")) {
        value = -value;
      }
      switch (unit.field()) {
        case MONTHS -> months = add(months, value);
        case DAYS -> days = add(days, value);
        case MICROS -> micros = add(micros, value);
      }
    }
    if (ago) {
      months = -months;
      days = -days;
      micros = -micros;
    }
    if (months != (int) months || days != (int) days) {
      throw outOfRange();
    }
    return new PgInterval((int) months, (int) days, micros);
  }

  private static long time(Matcher m, String text) {
    long hours = Long.parseLong(m.group(2));
    long minutes = Long.parseLong(m.group(3));
    long secs = m.group(4) == null ? 0 : Long.parseLong(m.group(4));
    if (minutes > 59 || secs > 59) {
      throw unsupported(text);
    }
    long frac = m.group(5) == null ? 0 : Long.parseLong((m.group(5) + "000000").substring(0, 6));
    long v = add(add(multiply(hours, 3_600_000_000L), minutes * 60_000_000L),
        secs * 1_000_000L + frac);
    return m.group(1).equals("-") ? -v : v;
  }

  private static long seconds(String token, String text) {
    Matcher m = Pattern.compile("([+-]?)(\\d+)(?:\\.(\\d{1,6}))?").matcher(token);
    if (!m.matches()) {
      throw unsupported(text);
    }
    long frac = m.group(3) == null ? 0 : Long.parseLong((m.group(3) + "000000").substring(0, 6));
    long v = add(multiply(Long.parseLong(m.group(2)), 1_000_000L), frac);
    return m.group(1).equals("-") ? -v : v;
  }

  private static long add(long a, long b) {
    try {
      return Math.addExact(a, b);
    } catch (ArithmeticException e) {
      throw outOfRange();
    }
  }

  private static long multiply(long a, long b) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      throw outOfRange();
    }
  }

  private static EvalException outOfRange() {
    return new EvalException("22015", "interval field value out of range");
  }

  private static IllegalArgumentException unsupported(String text) {
    return new IllegalArgumentException("interval '" + text + "' is not in a form trickle reads"
        + " exactly (write amounts with units such as '1 year 2 months 3 days 04:05:06', with"
        + " fractions only on seconds)");
  }
}
