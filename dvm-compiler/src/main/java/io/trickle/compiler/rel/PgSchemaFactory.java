package io.trickle.compiler.rel;

import io.trickle.compiler.parse.PgCatalog;
import io.trickle.compiler.parse.PgColumn;
import io.trickle.compiler.parse.PgRelation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelProtoDataType;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.ViewTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.Frameworks;

/**
 * Builds the Calcite root schema from the PostgreSQL catalog: relations visible on the
 * search_path sit at the root (unqualified names), every user schema is a sub-schema
 * ({@code s.t}), and views are {@link ViewTable}s over {@code pg_get_viewdef}, expanded inline
 * when a query reads them. PostgreSQL type names such as {@code text} and {@code int8} are
 * registered so {@code x::text} validates.
 */
public final class PgSchemaFactory {
  private PgSchemaFactory() {}

  public static SchemaPlus create(PgCatalog catalog) {
    SchemaPlus root = Frameworks.createRootSchema(false);
    Map<String, Map<String, Table>> bySchema = new HashMap<>();
    Map<PgRelation, Table> tables = new HashMap<>();
    for (PgRelation rel : catalog.relations()) {
      Table table = table(rel);
      tables.put(rel, table);
      bySchema.computeIfAbsent(rel.schema(), k -> new HashMap<>()).put(rel.name(), table);
    }
    for (PgRelation rel : catalog.visible()) {
      root.add(rel.name(), tables.get(rel));
    }
    bySchema.forEach((name, map) -> root.add(name, new AbstractSchema() {
      @Override
      protected Map<String, Table> getTableMap() {
        return map;
      }
    }));
    addTypeAliases(root);
    return root;
  }

  private static Table table(PgRelation rel) {
    if (rel.kind() == PgRelation.Kind.TABLE) {
      return new PgTable(rel);
    }
    String sql = rel.viewSql().strip();
    if (sql.endsWith(";")) {
      sql = sql.substring(0, sql.length() - 1);
    }
    RelProtoDataType rowType = f -> {
      RelDataTypeFactory.Builder b = f.builder();
      for (PgColumn c : rel.columns()) {
        b.add(c.name(), CalciteTypes.of(f, c));
      }
      return b.build();
    };
    return new ViewTable(Object[].class, rowType, sql, List.of(), List.of(rel.schema(), rel.name()));
  }

  private static void addTypeAliases(SchemaPlus root) {
    alias(root, "text", SqlTypeName.VARCHAR);
    alias(root, "bpchar", SqlTypeName.VARCHAR);
    alias(root, "int2", SqlTypeName.SMALLINT);
    alias(root, "int4", SqlTypeName.INTEGER);
    alias(root, "int8", SqlTypeName.BIGINT);
    alias(root, "float4", SqlTypeName.REAL);
    alias(root, "float8", SqlTypeName.DOUBLE);
    alias(root, "bool", SqlTypeName.BOOLEAN);
    alias(root, "timestamptz", SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE);
    root.add("jsonb", CalciteTypes::jsonb);
  }

  private static void alias(SchemaPlus root, String name, SqlTypeName type) {
    root.add(name, f -> f.createSqlType(type));
  }
}
