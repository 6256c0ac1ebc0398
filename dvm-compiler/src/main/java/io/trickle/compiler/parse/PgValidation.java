package io.trickle.compiler.parse;

import java.util.List;

/**
 * What PostgreSQL says about a defining query: its result columns with exact types, and the
 * functions it (or a view it reads) calls that are not immutable, e.g. {@code random()} ('v'), and
 * where it depends on a text collation trickle cannot reproduce.
 */
public record PgValidation(List<PgOutputColumn> columns, List<NonImmutableFunction> functions,
    List<TextCollationUse> textCollations) {

  /** {@code display} is how to name it in a message, e.g. {@code random()}. */
  public record NonImmutableFunction(String name, String display, char provolatile) {}

  public PgValidation {
    columns = List.copyOf(columns);
    functions = List.copyOf(functions);
    textCollations = List.copyOf(textCollations);
  }
}
