package io.trickle.compiler.expr;

/**
 * Runtime values: Boolean, Long (all integer kinds), BigDecimal (numeric), Double (real, double
 * precision), String (text; bpchar without trailing blanks), LocalDate, LocalTime,
 * LocalDateTime (timestamp), Instant (timestamptz).
 */
public final class Values {
  private Values() {}

  /**
   * Total order of two non-null values of the same kind, as PostgreSQL orders them (text by code
   * point, which matches the "C" collation; numerics by value; NaN above all doubles).
   */
  public static int compare(Object a, Object b) {
    throw new UnsupportedOperationException("TODO: implemented by the expression work");
  }

  /** SQL equality for grouping and join keys: numerics by value (1.0 = 1.00). Nulls equal. */
  public static boolean sameKey(Object a, Object b) {
    throw new UnsupportedOperationException("TODO: implemented by the expression work");
  }
}
