package io.trickle.compiler.expr;

import java.math.BigDecimal;

/**
 * Runtime values: Boolean, Long (all integer kinds), BigDecimal (numeric), Double (real, double
 * precision), String (text; bpchar without trailing blanks), LocalDate, LocalTime,
 * LocalDateTime (timestamp), Instant (timestamptz); an immutable java.util.List for a
 * one-dimensional array (elements of the element kind's class, or null), encoded in the output
 * topic as a JSON array of the elements' encodings.
 *
 * <p>Text compares by Unicode code point, which equals PostgreSQL's "C" collation (not a
 * linguistic collation such as en_US).
 */
public final class Values {
  private Values() {}

  /**
   * Total order of two non-null values of the same kind, as PostgreSQL orders them (text by code
   * point, which matches the "C" collation; numerics by value; NaN above all doubles).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static int compare(Object a, Object b) {
    if (a instanceof Long x && b instanceof Long y) {
      return Long.compare(x, y);
    }
    if (a instanceof String x && b instanceof String y) {
      return TextOrder.compare(x, y);
    }
    if (a instanceof Number x && b instanceof Number y) {
      return compareNumbers(x, y);
    }
    if (a instanceof Comparable x && a.getClass() == b.getClass()) {
      return x.compareTo(b);
    }
    throw new IllegalArgumentException(
        "cannot compare " + a.getClass().getSimpleName() + " with " + b.getClass().getSimpleName());
  }

  /** SQL equality for grouping and join keys: numerics by value (1.0 = 1.00). Nulls equal. */
  public static boolean sameKey(Object a, Object b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a instanceof Number x && b instanceof Number y) {
      return compareNumbers(x, y) == 0;
    }
    if (a instanceof PgInterval x && b instanceof PgInterval y) {
      return x.compareTo(y) == 0; // '1 mon' = '30 days', as PostgreSQL's interval_eq
    }
    if (a instanceof java.util.List<?> x && b instanceof java.util.List<?> y) {
      // PostgreSQL's array equality: same length, elements equal, NULL elements equal each other.
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!sameKey(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  /**
   * A hash consistent with {@link #sameKey} for values of one kind and for Long/BigDecimal mixes
   * (1 and 1.00 hash alike; -0.0 and 0.0 alike; every NaN alike). Additive helper for hash-based
   * grouping. Doubles mixed with BigDecimal hash alike only when integral: a key column has one
   * kind, and double-versus-numeric equality is not transitive anyway.
   */
  public static int keyHash(Object v) {
    if (v == null) {
      return 0;
    }
    if (v instanceof java.util.List<?> list) {
      int h = 1;
      for (Object e : list) {
        h = 31 * h + keyHash(e);
      }
      return h;
    }
    if (v instanceof Long l) {
      return Long.hashCode(l);
    }
    if (v instanceof BigDecimal d) {
      BigDecimal s = d.stripTrailingZeros();
      if (s.scale() <= 0 && s.precision() - s.scale() <= 19) {
        try {
          return Long.hashCode(s.longValueExact());
        } catch (ArithmeticException beyondLong) {
          return s.hashCode();
        }
      }
      return s.hashCode();
    }
    if (v instanceof Double d) {
      double x = d == 0.0 ? 0.0 : d; // folds -0.0 into 0.0
      if (x == Math.rint(x) && Math.abs(x) < 9.0e18) {
        return Long.hashCode((long) x);
      }
      return Double.hashCode(x);
    }
    if (v instanceof PgInterval i) {
      return i.canonical().hashCode();
    }
    return v.hashCode();
  }

  /**
   * PostgreSQL resolves mixed comparisons by casting to the wider type: with a double on either
   * side both compare as doubles; otherwise integers widen to numeric.
   */
  static int compareNumbers(Number a, Number b) {
    if (a instanceof Double || b instanceof Double) {
      return compareDoubles(a.doubleValue(), b.doubleValue());
    }
    if (a instanceof Long x && b instanceof Long y) {
      return Long.compare(x, y);
    }
    return toBigDecimal(a).compareTo(toBigDecimal(b));
  }

  /** float8 ordering: -0.0 = 0.0, NaN equal to itself and above everything else. */
  static int compareDoubles(double a, double b) {
    if (a < b) {
      return -1;
    }
    if (a > b) {
      return 1;
    }
    if (a == b) {
      return 0;
    }
    boolean nanA = Double.isNaN(a);
    boolean nanB = Double.isNaN(b);
    return nanA == nanB ? 0 : nanA ? 1 : -1;
  }

  private static BigDecimal toBigDecimal(Number n) {
    return n instanceof BigDecimal d ? d : BigDecimal.valueOf(n.longValue());
  }
}
