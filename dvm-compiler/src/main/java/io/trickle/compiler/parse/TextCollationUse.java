package io.trickle.compiler.parse;

/**
 * A place where the defining query (or a view it reads) depends on a collation trickle cannot
 * reproduce: an ordering ({@code <}, {@code max}, ...) under a collation that does not order by
 * code point, or any use of a non-deterministic collation.
 *
 * @param function the aggregate or operator, e.g. {@code max} or {@code <}
 * @param aggregate whether {@code function} is an aggregate
 * @param column the column it is applied to, when its first argument is one, else null
 * @param view the view whose stored query holds it, or null for the defining query itself
 */
public record TextCollationUse(Kind kind, String function, boolean aggregate, String column,
    PgCollation collation, String view) {

  public enum Kind { ORDERING, NON_DETERMINISTIC }
}
