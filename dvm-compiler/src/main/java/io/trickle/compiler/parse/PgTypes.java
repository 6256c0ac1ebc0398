package io.trickle.compiler.parse;

import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.ColumnType.Kind;

/** Maps a PostgreSQL type ({@code pg_type.typname} + typmod) to a plan {@link ColumnType}. */
public final class PgTypes {
  private PgTypes() {}

  /** Element kinds of supported array columns. */
  static final java.util.Set<Kind> ARRAY_ELEMENTS = java.util.EnumSet.of(Kind.BOOLEAN,
      Kind.SMALLINT, Kind.INTEGER, Kind.BIGINT, Kind.NUMERIC, Kind.TEXT, Kind.DATE);

  /**
   * @param typeName {@code pg_type.typname}, e.g. {@code int4}
   * @param typmod {@code atttypmod}, -1 when absent
   * @param pgType {@code format_type(atttypid, atttypmod)}, kept verbatim
   * @return the type, or null if trickle does not support it yet
   */
  public static ColumnType of(String typeName, int typmod, String pgType) {
    if (typeName.startsWith("_") && pgType.endsWith("[]")) {
      // An array's typmod is its elements'; format_type spells it element + "[]".
      ColumnType element = of(typeName.substring(1), typmod,
          pgType.substring(0, pgType.length() - 2));
      return element == null || !ARRAY_ELEMENTS.contains(element.kind()) ? null
          : new ColumnType(Kind.ARRAY, -1, -1, pgType, element);
    }
    return switch (typeName) {
      case "bool" -> new ColumnType(Kind.BOOLEAN, -1, -1, pgType);
      case "int2" -> new ColumnType(Kind.SMALLINT, -1, -1, pgType);
      case "int4" -> new ColumnType(Kind.INTEGER, -1, -1, pgType);
      case "int8" -> new ColumnType(Kind.BIGINT, -1, -1, pgType);
      case "numeric" -> typmod < 4
          ? new ColumnType(Kind.NUMERIC, -1, -1, pgType)
          : new ColumnType(Kind.NUMERIC, numericPrecision(typmod), numericScale(typmod), pgType);
      case "float4" -> new ColumnType(Kind.REAL, -1, -1, pgType);
      case "float8" -> new ColumnType(Kind.DOUBLE, -1, -1, pgType);
      case "text" -> new ColumnType(Kind.TEXT, -1, -1, pgType);
      case "varchar", "bpchar" -> new ColumnType(Kind.TEXT, typmod < 4 ? -1 : typmod - 4, -1, pgType);
      case "date" -> new ColumnType(Kind.DATE, -1, -1, pgType);
      case "time" -> new ColumnType(Kind.TIME, typmod, -1, pgType);
      case "timestamp" -> new ColumnType(Kind.TIMESTAMP, typmod, -1, pgType);
      case "timestamptz" -> new ColumnType(Kind.TIMESTAMPTZ, typmod, -1, pgType);
      case "uuid" -> new ColumnType(Kind.UUID, -1, -1, pgType);
      case "jsonb" -> new ColumnType(Kind.JSONB, -1, -1, pgType);
      default -> null;
    };
  }

  /**
   * The type of an output column: the source column types, and also interval, which trickle
   * computes (timestamp - timestamp, age(), literals) but cannot read from a source yet.
   */
  public static ColumnType ofOutput(String typeName, int typmod, String pgType) {
    return typeName.equals("interval") ? new ColumnType(Kind.INTERVAL, -1, -1, pgType)
        : of(typeName, typmod, pgType);
  }

  static int numericPrecision(int typmod) {
    return ((typmod - 4) >> 16) & 0xffff;
  }

  /** PostgreSQL 15+ stores the scale as an 11-bit signed number. */
  static int numericScale(int typmod) {
    return (((typmod - 4) & 0x7ff) ^ 1024) - 1024;
  }
}
