package io.trickle.compiler.expr;

import io.trickle.compiler.plan.ColumnType;
import java.math.BigDecimal;

/**
 * Builds +, -, *, /, % and unary minus for one domain (the Call's result kind): integer math
 * with PostgreSQL's range check, exact numeric, or float4/float8 with PostgreSQL's overflow and
 * division-by-zero errors. Operands arrive already converted to the domain's Java class.
 */
final class Arithmetic {
  private Arithmetic() {}

  @FunctionalInterface
  interface LongOp {
    long apply(long a, long b);
  }

  @FunctionalInterface
  interface DecimalOp {
    BigDecimal apply(BigDecimal a, BigDecimal b);
  }

  @FunctionalInterface
  interface DoubleOp {
    double apply(double a, double b);
  }

  static CompiledExpr binary(Operator op, ColumnType type, CompiledExpr left, CompiledExpr right) {
    return switch (type.kind()) {
      case SMALLINT, INTEGER, BIGINT -> integer(op, IntRange.of(type.kind()), left, right);
      case NUMERIC -> numeric(op, left, right);
      case REAL -> floating(op, true, left, right);
      case DOUBLE -> floating(op, false, left, right);
      default -> throw new IllegalArgumentException(op + " is not supported for type " + type);
    };
  }

  static CompiledExpr negate(ColumnType type, CompiledExpr arg) {
    return switch (type.kind()) {
      case SMALLINT, INTEGER, BIGINT -> {
        IntRange range = IntRange.of(type.kind());
        yield row -> {
          Object v = arg.eval(row);
          if (v == null) {
            return null;
          }
          long x = (Long) v;
          if (x == Long.MIN_VALUE) {
            throw range.outOfRange();
          }
          return range.check(-x);
        };
      }
      case NUMERIC -> row -> {
        Object v = arg.eval(row);
        return v == null ? null : ((BigDecimal) v).negate();
      };
      case REAL, DOUBLE -> row -> {
        Object v = arg.eval(row);
        return v == null ? null : -(Double) v;
      };
      default -> throw new IllegalArgumentException("NEGATE is not supported for type " + type);
    };
  }

  private static CompiledExpr integer(
      Operator op, IntRange range, CompiledExpr left, CompiledExpr right) {
    LongOp f = switch (op) {
      case PLUS -> (a, b) -> {
        try {
          return range.check(Math.addExact(a, b));
        } catch (ArithmeticException e) {
          throw range.outOfRange();
        }
      };
      case MINUS -> (a, b) -> {
        try {
          return range.check(Math.subtractExact(a, b));
        } catch (ArithmeticException e) {
          throw range.outOfRange();
        }
      };
      case TIMES -> (a, b) -> {
        try {
          return range.check(Math.multiplyExact(a, b));
        } catch (ArithmeticException e) {
          throw range.outOfRange();
        }
      };
      case DIVIDE -> (a, b) -> {
        if (b == 0) {
          throw divisionByZero();
        }
        if (a == Long.MIN_VALUE && b == -1) {
          throw range.outOfRange();
        }
        return range.check(a / b); // Java truncates toward zero, like C
      };
      case MOD -> (a, b) -> {
        if (b == 0) {
          throw divisionByZero();
        }
        return b == -1 ? 0 : a % b; // sign follows the dividend, like C
      };
      default -> throw new IllegalArgumentException("not arithmetic: " + op);
    };
    return row -> {
      Object a = left.eval(row);
      if (a == null) {
        return null;
      }
      Object b = right.eval(row);
      if (b == null) {
        return null;
      }
      return f.apply((Long) a, (Long) b);
    };
  }

  private static CompiledExpr numeric(Operator op, CompiledExpr left, CompiledExpr right) {
    DecimalOp f = switch (op) {
      case PLUS -> (a, b) -> PgNumeric.normalizeScale(a.add(b));
      case MINUS -> (a, b) -> PgNumeric.normalizeScale(a.subtract(b));
      case TIMES -> (a, b) -> PgNumeric.normalizeScale(a.multiply(b));
      case DIVIDE -> PgNumeric::divide;
      case MOD -> PgNumeric::mod;
      default -> throw new IllegalArgumentException("not arithmetic: " + op);
    };
    return row -> {
      Object a = left.eval(row);
      if (a == null) {
        return null;
      }
      Object b = right.eval(row);
      if (b == null) {
        return null;
      }
      return f.apply((BigDecimal) a, (BigDecimal) b);
    };
  }

  /**
   * float8pl/float8mi/float8mul/float8div and their float4 twins: an infinite result from finite
   * inputs is an overflow, a zero product or quotient of non-zero inputs an underflow. float4
   * results are computed in double and rounded, which yields the same float for + - * /.
   */
  private static CompiledExpr floating(
      Operator op, boolean real, CompiledExpr left, CompiledExpr right) {
    DoubleOp f = switch (op) {
      case PLUS -> (a, b) -> checkOverflow(round(a + b, real), a, b);
      case MINUS -> (a, b) -> checkOverflow(round(a - b, real), a, b);
      case TIMES -> (a, b) -> {
        double r = checkOverflow(round(a * b, real), a, b);
        if (r == 0.0 && a != 0.0 && b != 0.0) {
          throw underflow();
        }
        return r;
      };
      case DIVIDE -> (a, b) -> {
        if (b == 0.0 && !Double.isNaN(a)) {
          throw divisionByZero();
        }
        double r = round(a / b, real);
        if (Double.isInfinite(r) && !Double.isInfinite(a)) {
          throw overflow();
        }
        if (r == 0.0 && a != 0.0 && !Double.isInfinite(b)) {
          throw underflow();
        }
        return r;
      };
      case MOD -> (a, b) -> {
        if (b == 0.0) {
          throw divisionByZero();
        }
        return round(a % b, real); // C fmod semantics
      };
      default -> throw new IllegalArgumentException("not arithmetic: " + op);
    };
    return row -> {
      Object a = left.eval(row);
      if (a == null) {
        return null;
      }
      Object b = right.eval(row);
      if (b == null) {
        return null;
      }
      return f.apply((Double) a, (Double) b);
    };
  }

  private static double round(double v, boolean real) {
    return real ? (double) (float) v : v;
  }

  private static double checkOverflow(double r, double a, double b) {
    if (Double.isInfinite(r) && !Double.isInfinite(a) && !Double.isInfinite(b)) {
      throw overflow();
    }
    return r;
  }

  static EvalException divisionByZero() {
    return new EvalException("22012", "division by zero");
  }

  static EvalException overflow() {
    return new EvalException("22003", "value out of range: overflow");
  }

  static EvalException underflow() {
    return new EvalException("22003", "value out of range: underflow");
  }
}
