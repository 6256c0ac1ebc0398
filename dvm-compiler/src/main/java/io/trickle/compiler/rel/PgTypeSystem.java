package io.trickle.compiler.rel;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Calcite type rules bent to PostgreSQL's. Numeric precision and scale go up to 1000; a DECIMAL
 * of precision {@link #UNCONSTRAINED_NUMERIC} stands for PostgreSQL's plain {@code numeric}
 * (which has no fixed scale), and that is also the default precision of {@code CAST(x AS
 * numeric)}. Aggregate result types follow PostgreSQL: SUM(int2|int4) is bigint, SUM(int8|numeric)
 * is numeric, SUM(float4) is real, AVG of integers and numeric is numeric, COUNT is bigint.
 * Times keep microseconds, as in PostgreSQL.
 */
public final class PgTypeSystem extends RelDataTypeSystemImpl {
  public static final PgTypeSystem INSTANCE = new PgTypeSystem();
  public static final int UNCONSTRAINED_NUMERIC = 1000;
  private static final int MICROS = 6;

  @Override
  public int getMaxPrecision(SqlTypeName typeName) {
    return switch (typeName) {
      case DECIMAL -> UNCONSTRAINED_NUMERIC;
      case TIME, TIME_WITH_LOCAL_TIME_ZONE, TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> MICROS;
      default -> super.getMaxPrecision(typeName);
    };
  }

  @Override
  public int getMaxScale(SqlTypeName typeName) {
    return typeName == SqlTypeName.DECIMAL ? UNCONSTRAINED_NUMERIC : super.getMaxScale(typeName);
  }

  @Override
  public int getDefaultPrecision(SqlTypeName typeName) {
    return switch (typeName) {
      case DECIMAL -> UNCONSTRAINED_NUMERIC;
      case TIME, TIME_WITH_LOCAL_TIME_ZONE, TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> MICROS;
      default -> super.getDefaultPrecision(typeName);
    };
  }

  @Override
  public int getMaxNumericPrecision() {
    return UNCONSTRAINED_NUMERIC;
  }

  @Override
  public int getMaxNumericScale() {
    return UNCONSTRAINED_NUMERIC;
  }

  @Override
  public boolean shouldConvertRaggedUnionTypesToVarying() {
    return true;
  }

  @Override
  public RelDataType deriveSumType(RelDataTypeFactory f, RelDataType arg) {
    RelDataType t = switch (arg.getSqlTypeName()) {
      case TINYINT, SMALLINT, INTEGER -> f.createSqlType(SqlTypeName.BIGINT);
      case BIGINT, DECIMAL -> unconstrainedNumeric(f, arg.getSqlTypeName() == SqlTypeName.DECIMAL
          ? arg.getScale() : 0);
      case REAL -> f.createSqlType(SqlTypeName.REAL);
      case FLOAT, DOUBLE -> f.createSqlType(SqlTypeName.DOUBLE);
      default -> super.deriveSumType(f, arg);
    };
    return f.createTypeWithNullability(t, arg.isNullable());
  }

  @Override
  public RelDataType deriveAvgAggType(RelDataTypeFactory f, RelDataType arg) {
    RelDataType t = switch (arg.getSqlTypeName()) {
      case TINYINT, SMALLINT, INTEGER, BIGINT, DECIMAL -> unconstrainedNumeric(f, 16);
      case REAL, FLOAT, DOUBLE -> f.createSqlType(SqlTypeName.DOUBLE);
      default -> super.deriveAvgAggType(f, arg);
    };
    return f.createTypeWithNullability(t, arg.isNullable());
  }

  private static RelDataType unconstrainedNumeric(RelDataTypeFactory f, int scale) {
    return f.createSqlType(SqlTypeName.DECIMAL, UNCONSTRAINED_NUMERIC, Math.max(scale, 0));
  }
}
