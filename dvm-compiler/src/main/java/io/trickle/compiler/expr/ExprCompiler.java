package io.trickle.compiler.expr;

import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.ColumnType.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an {@link Expr} into a tree of closures. All dispatch on operators and types happens
 * here, once; the closures only move values.
 */
final class ExprCompiler implements ExprVisitor<CompiledExpr> {
  static final ExprCompiler INSTANCE = new ExprCompiler();

  private ExprCompiler() {}

  @Override
  public CompiledExpr visitColumnRef(Expr.ColumnRef ref) {
    int index = ref.index();
    if (index < 0) {
      throw new IllegalArgumentException("negative column index " + index);
    }
    return row -> row[index];
  }

  @Override
  public CompiledExpr visitLiteral(Expr.Literal literal) {
    Object value = literal.value();
    if (value != null && !literal.type().kind().javaClass().isInstance(value)) {
      throw new IllegalArgumentException("literal " + value + " of " + value.getClass()
          .getSimpleName() + " does not match type " + literal.type());
    }
    return row -> value;
  }

  @Override
  public CompiledExpr visitCall(Expr.Call call) {
    List<Expr> args = call.args();
    ColumnType type = call.type();
    Operator op = call.op();
    return switch (op) {
      case PLUS, MINUS, TIMES, DIVIDE, MOD -> {
        arity(call, 2);
        if (DateTimes.isTemporal(args.get(0).type().kind(), args.get(1).type().kind())) {
          yield DateTimes.arithmetic(op, type, args.get(0), args.get(1), compile(args.get(0)),
              compile(args.get(1)));
        }
        requireArithmetic(call);
        yield Arithmetic.binary(op, type, coerced(args.get(0), type), coerced(args.get(1), type));
      }
      case NEGATE -> {
        arity(call, 1);
        requireArithmetic(call);
        yield Arithmetic.negate(type, coerced(args.get(0), type));
      }
      case EQUALS, NOT_EQUALS, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN,
          GREATER_THAN_OR_EQUAL -> {
        arity(call, 2);
        requireComparable(call);
        yield Comparisons.compare(op, args.get(0).type().kind(), args.get(1).type().kind(),
            compile(args.get(0)), compile(args.get(1)));
      }
      case IS_DISTINCT_FROM, IS_NOT_DISTINCT_FROM -> {
        arity(call, 2);
        requireComparable(call);
        yield Comparisons.distinct(op == Operator.IS_DISTINCT_FROM, args.get(0).type().kind(),
            args.get(1).type().kind(), compile(args.get(0)), compile(args.get(1)));
      }
      case AND -> Logic.and(compileAll(booleans(call, args)));
      case OR -> Logic.or(compileAll(booleans(call, args)));
      case NOT -> {
        arity(call, 1);
        yield Logic.not(compile(booleans(call, args).get(0)));
      }
      case IS_NULL -> Logic.isNull(single(call), true);
      case IS_NOT_NULL -> Logic.isNull(single(call), false);
      case IS_TRUE -> Logic.is(singleBoolean(call), Boolean.TRUE, false);
      case IS_NOT_TRUE -> Logic.is(singleBoolean(call), Boolean.TRUE, true);
      case IS_FALSE -> Logic.is(singleBoolean(call), Boolean.FALSE, false);
      case IS_NOT_FALSE -> Logic.is(singleBoolean(call), Boolean.FALSE, true);
      case CASE -> Conditionals.caseWhen(caseArgs(call));
      case COALESCE -> {
        List<CompiledExpr> compiled = new ArrayList<>();
        for (Expr arg : args) {
          compiled.add(coerced(arg, type));
        }
        yield Conditionals.coalesce(compiled);
      }
      case CAST -> {
        arity(call, 1);
        yield Casts.cast(compile(args.get(0)), args.get(0).type(), type);
      }
      case CONCAT, LOWER, UPPER, SUBSTRING, POSITION, BTRIM, LTRIM, RTRIM, CHAR_LENGTH, LIKE,
          ILIKE, EXTRACT, DATE_TRUNC, ROUND, TRUNC, CEIL, FLOOR, ABS, SIGN, GREATEST, LEAST ->
          ScalarFunctions.compile(call);
      case AGE -> {
        arity(call, 2);
        yield IntervalArithmetic.age(compile(args.get(0)), compile(args.get(1)));
      }
      case DATE_PART -> DateTimes.datePart(call);
      case AT_TIME_ZONE -> {
        arity(call, 2);
        yield ZonedTimes.atTimeZone(args.get(0).type().kind(), type.kind(),
            ZonedTimes.zone(call, 1), compile(args.get(0)));
      }
      case SQRT, DIV -> MathFunctions.compile(call);
      case JSONB_GET, JSONB_GET_TEXT, JSONB_PATH, JSONB_PATH_TEXT, JSONB_TYPEOF,
          JSONB_ARRAY_LENGTH -> JsonbFunctions.compile(call, compileAll(args));
      case ARRAY -> {
        List<CompiledExpr> elements = new ArrayList<>();
        for (Expr arg : args) {
          elements.add(coerced(arg, type.element()));
        }
        yield ArrayFunctions.constructor(elements);
      }
      case CARDINALITY -> ArrayFunctions.cardinality(single(call));
    };
  }

  private static CompiledExpr compile(Expr e) {
    return e.accept(INSTANCE);
  }

  private static List<CompiledExpr> compileAll(List<Expr> args) {
    List<CompiledExpr> out = new ArrayList<>(args.size());
    for (Expr a : args) {
      out.add(compile(a));
    }
    return out;
  }

  private static CompiledExpr coerced(Expr arg, ColumnType to) {
    return Casts.coerce(compile(arg), arg.type(), to);
  }

  private static CompiledExpr single(Expr.Call call) {
    arity(call, 1);
    return compile(call.args().get(0));
  }

  private static CompiledExpr singleBoolean(Expr.Call call) {
    booleans(call, call.args());
    return single(call);
  }

  private static List<Expr> booleans(Expr.Call call, List<Expr> args) {
    for (Expr a : args) {
      requireBoolean(call, a);
    }
    return args;
  }

  private static void requireBoolean(Expr.Call call, Expr arg) {
    if (arg.type().kind() != Kind.BOOLEAN) {
      throw new IllegalArgumentException(
          call.op() + " needs boolean arguments, got " + arg.type() + ": " + call);
    }
  }

  /** Conditions stay boolean; values (and the else) are coerced to the result kind. */
  private static List<CompiledExpr> caseArgs(Expr.Call call) {
    List<Expr> args = call.args();
    if (args.isEmpty()) {
      throw new IllegalArgumentException("CASE needs at least one WHEN: " + call);
    }
    List<CompiledExpr> out = new ArrayList<>(args.size());
    for (int i = 0; i < args.size(); i++) {
      boolean isCondition = i % 2 == 0 && i + 1 < args.size();
      if (isCondition) {
        requireBoolean(call, args.get(i));
      }
      out.add(isCondition ? compile(args.get(i)) : coerced(args.get(i), call.type()));
    }
    return out;
  }

  private static void arity(Expr.Call call, int n) {
    if (call.args().size() != n) {
      throw new IllegalArgumentException(call.op() + " takes " + n + " argument(s): " + call);
    }
  }

  private static void requireArithmetic(Expr.Call call) {
    boolean ok = call.type().kind().isNumeric();
    for (Expr a : call.args()) {
      ok &= a.type().kind().isNumeric();
    }
    if (!ok) {
      throw new IllegalArgumentException("arithmetic on non-numeric types is not supported: "
          + call + " " + argTypes(call) + " -> " + call.type());
    }
  }

  /** Numeric kinds compare with each other; any other kind only with itself. */
  private static void requireComparable(Expr.Call call) {
    Kind a = call.args().get(0).type().kind();
    Kind b = call.args().get(1).type().kind();
    if (a == Kind.ARRAY && b == Kind.ARRAY && call.op() != Operator.EQUALS
        && call.op() != Operator.NOT_EQUALS && call.op() != Operator.IS_DISTINCT_FROM
        && call.op() != Operator.IS_NOT_DISTINCT_FROM) {
      throw new IllegalArgumentException("arrays are only compared for equality: " + call);
    }
    if (a != b && !(a.isNumeric() && b.isNumeric())) {
      throw new IllegalArgumentException("cannot compare " + a + " with " + b + ": " + call);
    }
  }

  private static List<ColumnType> argTypes(Expr.Call call) {
    return call.args().stream().map(Expr::type).toList();
  }
}
