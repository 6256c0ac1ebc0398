package io.trickle.compiler.expr;

/**
 * Scalar operators with PostgreSQL semantics (three-valued logic, overflow and division-by-zero
 * errors, exact numeric).
 */
public enum Operator {
  // arithmetic: 2 args (NEGATE: 1). Domain is the Call's result type.
  PLUS, MINUS, TIMES, DIVIDE, MOD, NEGATE,
  // comparison: 2 args, NULL if either is NULL
  EQUALS, NOT_EQUALS, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL,
  // never NULL
  IS_DISTINCT_FROM, IS_NOT_DISTINCT_FROM,
  // logic: AND/OR n args, NOT 1 arg
  AND, OR, NOT,
  // 1 arg, never NULL
  IS_NULL, IS_NOT_NULL, IS_TRUE, IS_NOT_TRUE, IS_FALSE, IS_NOT_FALSE,
  /** args: cond1, value1, cond2, value2, ..., [else]; a missing else is NULL. */
  CASE,
  /** n args: first non-NULL. */
  COALESCE,
  /** 1 arg, converted to the Call's result type (PostgreSQL cast rules and rounding). */
  CAST
}
