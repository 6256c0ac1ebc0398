package io.trickle.compiler.expr;

import io.trickle.compiler.plan.ColumnType.Kind;

/** Range of one PostgreSQL integer type, and its "out of range" error (SQLSTATE 22003). */
enum IntRange {
  SMALLINT(Short.MIN_VALUE, Short.MAX_VALUE, "smallint"),
  INTEGER(Integer.MIN_VALUE, Integer.MAX_VALUE, "integer"),
  BIGINT(Long.MIN_VALUE, Long.MAX_VALUE, "bigint");

  private final long min;
  private final long max;
  private final String pgName;

  IntRange(long min, long max, String pgName) {
    this.min = min;
    this.max = max;
    this.pgName = pgName;
  }

  static IntRange of(Kind kind) {
    return switch (kind) {
      case SMALLINT -> SMALLINT;
      case INTEGER -> INTEGER;
      case BIGINT -> BIGINT;
      default -> throw new IllegalArgumentException("not an integer kind: " + kind);
    };
  }

  String pgName() {
    return pgName;
  }

  long min() {
    return min;
  }

  long max() {
    return max;
  }

  long check(long v) {
    if (v < min || v > max) {
      throw outOfRange();
    }
    return v;
  }

  EvalException outOfRange() {
    return new EvalException("22003", pgName + " out of range");
  }
}
