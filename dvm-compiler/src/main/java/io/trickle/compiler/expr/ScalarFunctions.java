package io.trickle.compiler.expr;

import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.ColumnType.Kind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Compiles the function-like operators (string, LIKE, EXTRACT/date_trunc, rounding,
 * GREATEST/LEAST). All are strict (NULL in, NULL out) except GREATEST/LEAST, which skip NULLs.
 */
final class ScalarFunctions {
  private ScalarFunctions() {}

  static CompiledExpr compile(Expr.Call call) {
    List<Expr> args = call.args();
    Kind result = call.type().kind();
    return switch (call.op()) {
      case CONCAT -> strict2(text(call, 0), text(call, 1),
          (a, b) -> TextFunctions.concat((String) a, (String) b));
      case LOWER -> strict1(text(call, 0), v -> TextFunctions.lower((String) v));
      case UPPER -> strict1(text(call, 0), v -> TextFunctions.upper((String) v));
      case CHAR_LENGTH -> strict1(text(call, 0), v -> TextFunctions.charLength((String) v));
      case POSITION -> strict2(text(call, 0), text(call, 1),
          (a, b) -> TextFunctions.position((String) a, (String) b));
      case BTRIM -> trim(call, true, true);
      case LTRIM -> trim(call, true, false);
      case RTRIM -> trim(call, false, true);
      case SUBSTRING -> substring(call);
      case LIKE -> like(call, false);
      case ILIKE -> like(call, true);
      case EXTRACT -> {
        arity(call, 2);
        DateTimes.Field field;
        try {
          field = DateTimes.Field.of(constantText(call, 0));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("EXTRACT field is not supported: " + call);
        }
        yield DateTimes.extract(field, args.get(1).type().kind(), compile(args.get(1)));
      }
      case DATE_TRUNC -> {
        if (args.size() == 3 && args.get(1).type().kind() == Kind.TIMESTAMPTZ) {
          DateTimes.TruncUnit unit;
          try {
            unit = DateTimes.TruncUnit.of(constantText(call, 0));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("date_trunc unit is not supported: " + call);
          }
          yield ZonedTimes.dateTrunc(unit, ZonedTimes.zone(call, 2), compile(args.get(1)));
        }
        arity(call, 2);
        if (args.get(1).type().kind() != Kind.TIMESTAMP) {
          throw new IllegalArgumentException("date_trunc needs a timestamp: " + call);
        }
        DateTimes.TruncUnit unit;
        try {
          unit = DateTimes.TruncUnit.of(constantText(call, 0));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("date_trunc unit is not supported: " + call);
        }
        yield DateTimes.dateTrunc(unit, compile(args.get(1)));
      }
      case ROUND, TRUNC -> round(call, call.op() == Operator.TRUNC);
      case CEIL -> numericOrDouble(call, MathFunctions::ceil, Math::ceil);
      case FLOOR -> numericOrDouble(call, MathFunctions::floor, Math::floor);
      case SIGN -> numericOrDouble(call, MathFunctions::sign, MathFunctions::signDouble);
      case ABS -> abs(call, result);
      case GREATEST, LEAST -> extreme(call, call.op() == Operator.GREATEST);
      default -> throw new IllegalArgumentException("not a function: " + call.op());
    };
  }

  private static CompiledExpr compile(Expr e) {
    return Evaluator.compile(e);
  }

  private static void arity(Expr.Call call, int n) {
    if (call.args().size() != n) {
      throw new IllegalArgumentException(call.op() + " takes " + n + " argument(s): " + call);
    }
  }

  private static CompiledExpr text(Expr.Call call, int i) {
    Expr e = call.args().get(i);
    if (e.type().kind() != Kind.TEXT) {
      throw new IllegalArgumentException(call.op() + " needs text arguments: " + call);
    }
    return compile(e);
  }

  private static CompiledExpr integer(Expr.Call call, int i) {
    Expr e = call.args().get(i);
    if (!e.type().kind().isInteger()) {
      throw new IllegalArgumentException(call.op() + " needs an integer argument: " + call);
    }
    return compile(e);
  }

  private static String constantText(Expr.Call call, int i) {
    if (call.args().get(i) instanceof Expr.Literal l && l.value() instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException(call.op() + " needs a constant text argument: " + call);
  }

  private static CompiledExpr strict1(CompiledExpr a, Function<Object, Object> f) {
    return row -> {
      Object v = a.eval(row);
      return v == null ? null : f.apply(v);
    };
  }

  private static CompiledExpr strict2(CompiledExpr a, CompiledExpr b,
      BiFunction<Object, Object, Object> f) {
    return row -> {
      Object x = a.eval(row);
      if (x == null) {
        return null;
      }
      Object y = b.eval(row);
      return y == null ? null : f.apply(x, y);
    };
  }

  private static CompiledExpr trim(Expr.Call call, boolean leading, boolean trailing) {
    arity(call, 2);
    return strict2(text(call, 0), text(call, 1),
        (s, chars) -> TextFunctions.trim((String) s, (String) chars, leading, trailing));
  }

  private static CompiledExpr substring(Expr.Call call) {
    int n = call.args().size();
    if (n != 2 && n != 3) {
      throw new IllegalArgumentException("SUBSTRING takes 2 or 3 arguments: " + call);
    }
    CompiledExpr s = text(call, 0);
    CompiledExpr start = integer(call, 1);
    CompiledExpr count = n == 3 ? integer(call, 2) : null;
    return row -> {
      Object v = s.eval(row);
      Object a = start.eval(row);
      if (v == null || a == null) {
        return null;
      }
      if (count == null) {
        return TextFunctions.substring((String) v, (Long) a, null);
      }
      Object c = count.eval(row);
      return c == null ? null : TextFunctions.substring((String) v, (Long) a, (Long) c);
    };
  }

  /** A constant pattern (the usual case) is parsed once; otherwise once per row. */
  private static CompiledExpr like(Expr.Call call, boolean caseInsensitive) {
    int n = call.args().size();
    if (n != 2 && n != 3) {
      throw new IllegalArgumentException(call.op() + " takes 2 or 3 arguments: " + call);
    }
    CompiledExpr s = text(call, 0);
    CompiledExpr pattern = text(call, 1);
    CompiledExpr escape = n == 3 ? text(call, 2) : row -> null;
    boolean constant = call.args().get(1) instanceof Expr.Literal
        && (n == 2 || call.args().get(2) instanceof Expr.Literal);
    LikeMatcher fixed = null;
    if (constant) {
      Object p = pattern.eval(new Object[0]);
      Object e = escape.eval(new Object[0]);
      if (p == null || n == 3 && e == null) {
        return row -> null;
      }
      try {
        fixed = LikeMatcher.compile((String) p, (String) e, caseInsensitive);
      } catch (EvalException bad) {
        // PostgreSQL raises a bad pattern for each non-NULL row, not when planning
        return row -> {
          if (s.eval(row) == null) {
            return null;
          }
          throw bad;
        };
      }
    }
    LikeMatcher constantMatcher = fixed;
    return row -> {
      Object v = s.eval(row);
      if (v == null) {
        return null;
      }
      LikeMatcher m = constantMatcher;
      if (m == null) {
        Object p = pattern.eval(row);
        Object e = escape.eval(row);
        if (p == null || n == 3 && e == null) {
          return null;
        }
        m = LikeMatcher.compile((String) p, (String) e, caseInsensitive);
      }
      return m.matches((String) v);
    };
  }

  private static CompiledExpr round(Expr.Call call, boolean truncate) {
    int n = call.args().size();
    Expr value = call.args().get(0);
    Kind kind = value.type().kind();
    if (n == 1 && kind == Kind.NUMERIC && call.type().kind() == Kind.NUMERIC) {
      return strict1(compile(value), v -> MathFunctions.round((BigDecimal) v, 0, truncate));
    }
    if (n == 1 && kind == Kind.DOUBLE && call.type().kind() == Kind.DOUBLE) {
      return strict1(compile(value), v -> truncate ? MathFunctions.truncDouble((Double) v)
          : MathFunctions.roundDouble((Double) v));
    }
    if (n == 2 && kind == Kind.NUMERIC && call.type().kind() == Kind.NUMERIC) {
      return strict2(compile(value), integer(call, 1),
          (v, d) -> MathFunctions.round((BigDecimal) v, (Long) d, truncate));
    }
    throw new IllegalArgumentException(call.op() + " of " + argKinds(call) + " -> "
        + call.type() + " is not supported: " + call);
  }

  private static CompiledExpr numericOrDouble(Expr.Call call,
      Function<BigDecimal, BigDecimal> onNumeric, java.util.function.DoubleUnaryOperator onDouble) {
    arity(call, 1);
    Expr value = call.args().get(0);
    Kind kind = value.type().kind();
    if (kind != call.type().kind()) {
      throw new IllegalArgumentException(call.op() + " must return its argument's type: " + call);
    }
    return switch (kind) {
      case NUMERIC -> strict1(compile(value), v -> onNumeric.apply((BigDecimal) v));
      case DOUBLE -> strict1(compile(value), v -> onDouble.applyAsDouble((Double) v));
      default -> throw new IllegalArgumentException(call.op() + " of " + kind
          + " is not supported: " + call);
    };
  }

  private static CompiledExpr abs(Expr.Call call, Kind result) {
    arity(call, 1);
    Expr value = call.args().get(0);
    if (value.type().kind() != result) {
      throw new IllegalArgumentException("ABS must return its argument's type: " + call);
    }
    CompiledExpr v = compile(value);
    return switch (result) {
      case SMALLINT, INTEGER, BIGINT -> {
        IntRange range = IntRange.of(result);
        yield strict1(v, x -> {
          long l = (Long) x;
          if (l == Long.MIN_VALUE) {
            throw range.outOfRange();
          }
          return range.check(Math.abs(l));
        });
      }
      case NUMERIC -> strict1(v, x -> ((BigDecimal) x).abs());
      case REAL, DOUBLE -> strict1(v, x -> Math.abs((Double) x));
      default -> throw new IllegalArgumentException("ABS of " + result + " is not supported");
    };
  }

  /** GREATEST/LEAST: NULLs are skipped; NULL only when every argument is NULL. */
  private static CompiledExpr extreme(Expr.Call call, boolean greatest) {
    Kind kind = call.type().kind();
    if (kind == Kind.TEXT || kind == Kind.BOOLEAN || kind == Kind.INTERVAL) {
      throw new IllegalArgumentException(call.op() + " of " + kind + " is not supported");
    }
    List<CompiledExpr> args = new ArrayList<>();
    for (Expr a : call.args()) {
      args.add(Casts.coerce(compile(a), a.type(), call.type()));
    }
    CompiledExpr[] a = args.toArray(new CompiledExpr[0]);
    java.util.Comparator<Object> cmp = Comparisons.comparator(kind, kind);
    return row -> {
      Object best = null;
      for (CompiledExpr e : a) {
        Object v = e.eval(row);
        if (v != null && (best == null || (greatest ? cmp.compare(v, best) > 0
            : cmp.compare(v, best) < 0))) {
          best = v;
        }
      }
      return best;
    };
  }

  private static List<Kind> argKinds(Expr.Call call) {
    return call.args().stream().map(e -> e.type().kind()).toList();
  }
}
