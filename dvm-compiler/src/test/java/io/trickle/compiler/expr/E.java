package io.trickle.compiler.expr;

import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.ColumnType.Kind;
import java.math.BigDecimal;
import java.util.List;

/** Small builders so tests read like SQL. */
final class E {
  private E() {}

  static final ColumnType BOOL = ColumnType.of(Kind.BOOLEAN);
  static final ColumnType INT2 = ColumnType.of(Kind.SMALLINT);
  static final ColumnType INT4 = ColumnType.of(Kind.INTEGER);
  static final ColumnType INT8 = ColumnType.of(Kind.BIGINT);
  static final ColumnType NUM = ColumnType.of(Kind.NUMERIC);
  static final ColumnType FLOAT4 = ColumnType.of(Kind.REAL);
  static final ColumnType FLOAT8 = ColumnType.of(Kind.DOUBLE);
  static final ColumnType TEXT = ColumnType.of(Kind.TEXT);
  static final ColumnType DATE = ColumnType.of(Kind.DATE);

  static Expr lit(Object v, ColumnType t) {
    return new Expr.Literal(v, t);
  }

  static Expr bool(Boolean b) {
    return lit(b, BOOL);
  }

  static Expr i4(Integer v) {
    return lit(v == null ? null : (long) v, INT4);
  }

  static Expr i8(long v) {
    return lit(v, INT8);
  }

  static Expr num(String v) {
    return lit(v == null ? null : new BigDecimal(v), NUM);
  }

  static Expr f8(Double v) {
    return lit(v, FLOAT8);
  }

  static Expr text(String v) {
    return lit(v, TEXT);
  }

  static Expr col(int i, ColumnType t) {
    return new Expr.ColumnRef(i, t);
  }

  static Expr call(Operator op, ColumnType type, Expr... args) {
    return new Expr.Call(op, List.of(args), type);
  }

  static Expr cast(Expr e, ColumnType to) {
    return call(Operator.CAST, to, e);
  }

  static Object eval(Expr e, Object... row) {
    return Evaluator.compile(e).eval(row);
  }
}
