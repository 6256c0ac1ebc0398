package io.trickle.compiler.translate;

import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.ColumnType.Kind;
import io.trickle.compiler.rel.PgTypeSystem;
import org.apache.calcite.rel.type.RelDataType;

/**
 * Calcite types back to plan types. Computed values get PostgreSQL's unconstrained spelling
 * (numeric arithmetic in PostgreSQL yields plain {@code numeric}, string expressions yield
 * {@code text}); only CAST targets keep a length, precision or scale, because only they round
 * or truncate.
 */
final class TypeMapper {
  private TypeMapper() {}

  /** The type of a computed value, or null if the type is not supported. */
  static ColumnType exprType(RelDataType t) {
    if (t.getSqlTypeName() == org.apache.calcite.sql.type.SqlTypeName.ARRAY) {
      ColumnType element = t.getComponentType() == null ? null : exprType(t.getComponentType());
      return element == null || element.kind() == Kind.ARRAY ? null : ColumnType.array(element);
    }
    Kind kind = kindOf(t);
    return kind == null ? null : ColumnType.of(kind);
  }

  /** The type a CAST converts to, keeping typmods PostgreSQL would apply. */
  static ColumnType castTarget(RelDataType t) {
    if (t.getSqlTypeName() == org.apache.calcite.sql.type.SqlTypeName.ARRAY) {
      return exprType(t);
    }
    Kind kind = kindOf(t);
    if (kind == null) {
      return null;
    }
    int p = t.getPrecision();
    return switch (t.getSqlTypeName()) {
      case DECIMAL -> p >= PgTypeSystem.UNCONSTRAINED_NUMERIC || p < 0
          ? ColumnType.of(Kind.NUMERIC) : ColumnType.numeric(p, t.getScale());
      case CHAR -> new ColumnType(Kind.TEXT, p, -1, "character(" + p + ")");
      case VARCHAR -> p < 0 ? ColumnType.of(Kind.TEXT)
          : new ColumnType(Kind.TEXT, p, -1, "character varying(" + p + ")");
      case TIME -> p < 0 || p >= 6 ? ColumnType.of(Kind.TIME)
          : new ColumnType(Kind.TIME, p, -1, "time(" + p + ") without time zone");
      case TIMESTAMP -> p < 0 || p >= 6 ? ColumnType.of(Kind.TIMESTAMP)
          : new ColumnType(Kind.TIMESTAMP, p, -1, "timestamp(" + p + ") without time zone");
      default -> ColumnType.of(kind);
    };
  }

  static Kind kindOf(RelDataType t) {
    return switch (t.getSqlTypeName()) {
      case BOOLEAN -> Kind.BOOLEAN;
      case TINYINT, SMALLINT -> Kind.SMALLINT;
      case INTEGER -> Kind.INTEGER;
      case BIGINT -> Kind.BIGINT;
      case DECIMAL -> Kind.NUMERIC;
      case REAL -> Kind.REAL;
      case FLOAT, DOUBLE -> Kind.DOUBLE;
      case CHAR, VARCHAR -> Kind.TEXT;
      case DATE -> Kind.DATE;
      case TIME -> Kind.TIME;
      case TIMESTAMP -> Kind.TIMESTAMP;
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE, TIMESTAMP_TZ -> Kind.TIMESTAMPTZ;
      case UUID -> Kind.UUID;
      case VARIANT -> Kind.JSONB;
      default -> t.getSqlTypeName().getFamily() == org.apache.calcite.sql.type.SqlTypeFamily
          .INTERVAL_DAY_TIME || t.getSqlTypeName().getFamily() == org.apache.calcite.sql.type
          .SqlTypeFamily.INTERVAL_YEAR_MONTH ? Kind.INTERVAL : null;
    };
  }

  /** Numeric promotion for comparisons: the kind both sides are compared in, or null if none. */
  static Kind comparisonKind(Kind a, Kind b) {
    if (a == b) {
      return a;
    }
    if (a.isNumeric() && b.isNumeric()) {
      if (a.isInteger() && b.isInteger()) {
        return a.ordinal() > b.ordinal() ? a : b;
      }
      if (a == Kind.DOUBLE || b == Kind.DOUBLE || a == Kind.REAL || b == Kind.REAL) {
        return Kind.DOUBLE;
      }
      return Kind.NUMERIC;
    }
    if (isDateTime(a) && isDateTime(b) && a != Kind.TIME && b != Kind.TIME) {
      return a == Kind.TIMESTAMPTZ || b == Kind.TIMESTAMPTZ ? Kind.TIMESTAMPTZ : Kind.TIMESTAMP;
    }
    return null;
  }

  static boolean isDateTime(Kind k) {
    return k == Kind.DATE || k == Kind.TIME || k == Kind.TIMESTAMP || k == Kind.TIMESTAMPTZ;
  }
}
