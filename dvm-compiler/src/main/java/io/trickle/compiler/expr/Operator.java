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
  CAST,
  // text functions (strict: NULL if any argument is NULL); positions count characters
  /** text || text. */
  CONCAT,
  LOWER, UPPER,
  /** args: text, start, [count]. */
  SUBSTRING,
  /** args: needle, haystack (position(needle IN haystack)). */
  POSITION,
  /** args: text, characters to remove. */
  BTRIM, LTRIM, RTRIM,
  CHAR_LENGTH,
  /** args: text, pattern, [escape]; the default escape is backslash. */
  LIKE, ILIKE,
  // date/time: PLUS/MINUS also take date/timestamp with an interval (result timestamp), date
  // and integer (result date), two dates (MINUS, result integer), two timestamps (MINUS, result
  // interval) and two intervals (result interval)
  /** args: field name (text literal, e.g. 'year'), date/timestamp/time; result numeric. */
  EXTRACT,
  /**
   * args: unit (text literal), timestamp; result timestamp. Or: unit, timestamptz, time zone
   * (text literal, a tz database name); result timestamptz, truncated in that zone as
   * PostgreSQL's date_trunc(text, timestamptz) does under that TimeZone setting.
   */
  DATE_TRUNC,
  /**
   * args: value, time zone (text literal, a tz database name); PostgreSQL's
   * {@code value AT TIME ZONE zone}: a timestamptz becomes the zone's wall-clock timestamp, a
   * timestamp (wall-clock time in the zone) becomes a timestamptz. Casts between timestamptz
   * and date, time or timestamp are built from it with the plan's pinned TimeZone.
   */
  AT_TIME_ZONE,
  // numeric functions: result type as PostgreSQL resolves it
  /** args: numeric, [digits] or double. TRUNC alike. */
  ROUND, TRUNC,
  CEIL, FLOOR, ABS, SIGN,
  /** n args, coerced to the result type; NULLs are ignored. */
  GREATEST, LEAST,
  /** args: timestamp, timestamp; result interval (PostgreSQL's symbolic age). */
  AGE,
  /** args: field name (text literal), date/timestamp/time; result double precision. */
  DATE_PART,
  /** args: numeric or double; result of the same type. */
  SQRT,
  /** args: numeric, numeric; the quotient truncated towards zero, numeric. */
  DIV,
  // jsonb (strict): see PgJsonb
  /** args: jsonb, key (text) or index (integer; negative counts from the end); jsonb ->. */
  JSONB_GET,
  /** As JSONB_GET, result text (->>): strings unescaped, JSON null as NULL. */
  JSONB_GET_TEXT,
  /** args: jsonb, path (text in array syntax, e.g. '{a,0}'); jsonb #>. */
  JSONB_PATH,
  /** As JSONB_PATH, result text (#>>). */
  JSONB_PATH_TEXT,
  /** 1 arg: object, array, string, number, boolean or null. */
  JSONB_TYPEOF,
  /** 1 arg: element count of an array; an error for anything else. */
  JSONB_ARRAY_LENGTH,
  // arrays (one-dimensional, lower bound 1)
  /** ARRAY[a, b, ...]: n args, coerced to the result's element type; NULL elements kept. */
  ARRAY,
  /** cardinality(array): the number of elements (integer); NULL for a NULL array. */
  CARDINALITY
}
