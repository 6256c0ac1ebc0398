package io.trickle.compiler.rel;

import io.trickle.compiler.parse.PgColumn;
import io.trickle.compiler.plan.ColumnType;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * PostgreSQL column types as Calcite sees them. char(n) becomes VARCHAR because trickle's values
 * have trailing blanks stripped, and Calcite's CHAR would pad them back. Unsupported types become
 * ANY, so that queries not touching them still validate.
 */
public final class CalciteTypes {
  private CalciteTypes() {}

  public static RelDataType of(RelDataTypeFactory f, PgColumn column) {
    RelDataType t = column.supported() ? of(f, column.type()) : f.createSqlType(SqlTypeName.ANY);
    return f.createTypeWithNullability(t, !column.notNull());
  }

  public static RelDataType of(RelDataTypeFactory f, ColumnType type) {
    return switch (type.kind()) {
      case BOOLEAN -> f.createSqlType(SqlTypeName.BOOLEAN);
      case SMALLINT -> f.createSqlType(SqlTypeName.SMALLINT);
      case INTEGER -> f.createSqlType(SqlTypeName.INTEGER);
      case BIGINT -> f.createSqlType(SqlTypeName.BIGINT);
      case NUMERIC -> type.precision() < 0
          ? f.createSqlType(SqlTypeName.DECIMAL, PgTypeSystem.UNCONSTRAINED_NUMERIC, 0)
          : f.createSqlType(SqlTypeName.DECIMAL, type.precision(), Math.max(type.scale(), 0));
      case REAL -> f.createSqlType(SqlTypeName.REAL);
      case DOUBLE -> f.createSqlType(SqlTypeName.DOUBLE);
      case TEXT -> type.precision() < 0 || !type.pgType().startsWith("character varying")
          ? f.createSqlType(SqlTypeName.VARCHAR)
          : f.createSqlType(SqlTypeName.VARCHAR, type.precision());
      case DATE -> f.createSqlType(SqlTypeName.DATE);
      case TIME -> f.createSqlType(SqlTypeName.TIME, precision(type));
      case TIMESTAMP -> f.createSqlType(SqlTypeName.TIMESTAMP, precision(type));
      case TIMESTAMPTZ -> f.createSqlType(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, precision(type));
      case INTERVAL -> throw new IllegalArgumentException("no column has type interval");
      case UUID -> f.createSqlType(SqlTypeName.UUID);
      case JSONB -> jsonb(f);
      case ARRAY -> f.createArrayType(
          f.createTypeWithNullability(of(f, type.element()), true), -1);
    };
  }

  /**
   * Calcite has no jsonb; its VARIANT (a semi-structured value, castable from text, comparable
   * for equality) stands in for it, and nothing else in a query has that type.
   */
  public static RelDataType jsonb(RelDataTypeFactory f) {
    return f.createSqlType(SqlTypeName.VARIANT);
  }

  /** Whether {@code t} is the type {@link #jsonb} makes. */
  public static boolean isJsonb(RelDataType t) {
    return t.getSqlTypeName() == SqlTypeName.VARIANT;
  }

  private static int precision(ColumnType type) {
    return type.precision() < 0 ? 6 : type.precision();
  }
}
