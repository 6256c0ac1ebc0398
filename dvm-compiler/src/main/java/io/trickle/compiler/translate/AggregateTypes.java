package io.trickle.compiler.translate;

import io.trickle.compiler.plan.AggCall;
import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.ColumnType.Kind;

/**
 * Result types of aggregates as PostgreSQL's catalog declares them: SUM(int2|int4) is bigint,
 * SUM(int8|numeric) and AVG of exact types are numeric, SUM(float4) stays real, AVG of floats is
 * double precision; the variance family is numeric for exact input and double precision for
 * floats. Aggregate results carry no typmod, so MIN(numeric(10,2)) is plain numeric.
 */
final class AggregateTypes {
  private AggregateTypes() {}

  /** The result type, or null if PostgreSQL has no such aggregate for this input. */
  static ColumnType of(AggCall.Kind kind, ColumnType in) {
    return switch (kind) {
      case COUNT_STAR, COUNT -> ColumnType.of(Kind.BIGINT);
      case SUM -> switch (in.kind()) {
        case SMALLINT, INTEGER -> ColumnType.of(Kind.BIGINT);
        case BIGINT, NUMERIC -> ColumnType.of(Kind.NUMERIC);
        case REAL -> ColumnType.of(Kind.REAL);
        case DOUBLE -> ColumnType.of(Kind.DOUBLE);
        default -> null;
      };
      case AVG -> switch (in.kind()) {
        case SMALLINT, INTEGER, BIGINT, NUMERIC -> ColumnType.of(Kind.NUMERIC);
        case REAL, DOUBLE -> ColumnType.of(Kind.DOUBLE);
        default -> null;
      };
      // PostgreSQL orders arrays element by element; trickle does not order arrays yet.
      case MIN, MAX -> in.kind() == Kind.BOOLEAN || in.kind() == Kind.ARRAY ? null
          : withoutTypmod(in);
      // A scalar subquery keeps its column's type, typmod included.
      case SINGLE_VALUE -> in;
      // numeric_accum / float8_accum: exact numeric for integers and numeric, else double.
      case STDDEV_POP, STDDEV_SAMP, VAR_POP, VAR_SAMP -> switch (in.kind()) {
        case SMALLINT, INTEGER, BIGINT, NUMERIC -> ColumnType.of(Kind.NUMERIC);
        case REAL, DOUBLE -> ColumnType.of(Kind.DOUBLE);
        default -> null;
      };
      case BOOL_AND, BOOL_OR -> in.kind() == Kind.BOOLEAN ? ColumnType.of(Kind.BOOLEAN) : null;
      case STRING_AGG -> in.kind() == Kind.TEXT ? ColumnType.of(Kind.TEXT) : null;
      case GROUPING -> ColumnType.of(Kind.INTEGER);
      case ARRAY_AGG -> ArrayCalls.ELEMENTS.contains(in.kind())
          ? ColumnType.array(withoutTypmod(in)) : null;
    };
  }

  private static ColumnType withoutTypmod(ColumnType in) {
    if (in.kind() == Kind.TEXT && in.pgType().startsWith("character(")) {
      return new ColumnType(Kind.TEXT, -1, -1, "bpchar");
    }
    return ColumnType.of(in.kind());
  }
}
