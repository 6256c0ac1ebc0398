package io.trickle.compiler.parse;

import io.trickle.compiler.plan.ColumnType;

/**
 * A column as PostgreSQL describes it. {@code type} is null when trickle cannot handle the type
 * yet; that is only an error if a query actually uses the column.
 */
public record PgColumn(String name, String pgType, String typeName, ColumnType type,
    boolean notNull) {

  public boolean supported() {
    return type != null;
  }

  public String unsupportedMessage() {
    return "column " + name + " has type " + pgType + ", which is not supported yet";
  }
}
