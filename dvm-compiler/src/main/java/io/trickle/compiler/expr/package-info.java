/**
 * Scalar expression IR and its evaluator, with PostgreSQL semantics.
 *
 * <p>{@link io.trickle.compiler.expr.Evaluator#compile} turns an {@link
 * io.trickle.compiler.expr.Expr} into a tree of closures once; evaluation never looks at operator
 * names again. Semantics follow PostgreSQL: three-valued logic, lazy CASE/COALESCE/AND/OR,
 * integer range checks per result type (22003), division by zero (22012), numeric division scale
 * from {@code select_div_scale}, PostgreSQL's cast rounding and text formats. Two deliberate
 * simplifications: text compares by code point (the "C" collation) and timestamptz is read and
 * printed as if the session TimeZone were UTC. numeric NaN/Infinity have no BigDecimal form and
 * raise 0A000.
 */
package io.trickle.compiler.expr;
