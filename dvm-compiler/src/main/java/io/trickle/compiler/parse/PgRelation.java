package io.trickle.compiler.parse;

import java.util.List;

/**
 * A table or view from the PostgreSQL catalog. {@code primaryKey} holds column names (empty when
 * the table has none); {@code viewSql} is {@code pg_get_viewdef} for views, null for tables.
 */
public record PgRelation(String schema, String name, Kind kind, boolean replicaIdentityFull,
    List<PgColumn> columns, List<String> primaryKey, String viewSql) {

  public enum Kind { TABLE, VIEW }

  public PgRelation {
    columns = List.copyOf(columns);
    primaryKey = List.copyOf(primaryKey);
  }

  public String qualifiedName() {
    return schema + "." + name;
  }
}
