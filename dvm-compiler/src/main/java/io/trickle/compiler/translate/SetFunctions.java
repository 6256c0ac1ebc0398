package io.trickle.compiler.translate;

import io.trickle.compiler.CompileException;
import io.trickle.compiler.expr.Expr;
import io.trickle.compiler.expr.GenerateSeries;
import io.trickle.compiler.expr.Operator;
import io.trickle.compiler.expr.SetFunction;
import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.ColumnType.Kind;
import io.trickle.compiler.plan.SqlPos;
import java.util.ArrayList;
import java.util.List;

/**
 * A set-returning call in FROM to its {@link SetFunction}, typed the way PostgreSQL resolves it,
 * with its arguments coerced to that type. One case per function name; a function without one
 * is rejected with its name.
 */
final class SetFunctions {
  private SetFunctions() {}

  /** The function and its coerced arguments. */
  record Resolved(SetFunction function, List<Expr> args) {}

  static Resolved resolve(String name, List<Expr> args, SqlPos pos) {
    return switch (name) {
      case "generate_series" -> generateSeries(args, pos);
      case "jsonb_array_elements", "jsonb_array_elements_text", "jsonb_each", "jsonb_each_text" ->
          jsonb(name, args, pos);
      default -> throw new CompileException(pos, name + "() in FROM (a set-returning function)"
          + " is not supported yet");
    };
  }

  private static Resolved jsonb(String name, List<Expr> args, SqlPos pos) {
    Expr arg = args.get(0);
    if (args.size() != 1 || arg.type().kind() != Kind.JSONB
        && !(arg instanceof Expr.Literal l && l.value() == null)) {
      throw new CompileException(pos, name + "() of " + arg.type() + " is not supported (only of"
          + " a jsonb value)");
    }
    Expr coerced = arg.type().kind() == Kind.JSONB ? arg
        : new Expr.Literal(null, ColumnType.of(Kind.JSONB));
    return new Resolved(new io.trickle.compiler.expr.JsonbSetFunction(name), List.of(coerced));
  }

  private static Resolved generateSeries(List<Expr> args, SqlPos pos) {
    Kind kind = Kind.INTEGER;
    for (Expr a : args) {
      Kind k = a.type().kind();
      if (k == Kind.NUMERIC) {
        kind = Kind.NUMERIC;
      } else if (k == Kind.BIGINT && kind != Kind.NUMERIC) {
        kind = Kind.BIGINT;
      } else if (!k.isInteger() && !(a instanceof Expr.Literal l && l.value() == null)) {
        throw new CompileException(pos, "generate_series over " + a.type() + " is not supported"
            + " yet (integer, bigint and numeric are)");
      }
    }
    ColumnType type = ColumnType.of(kind);
    List<Expr> coerced = new ArrayList<>();
    for (Expr a : args) {
      boolean same = a.type().kind() == kind || a.type().kind().isInteger() && kind.isInteger();
      coerced.add(same ? a : a instanceof Expr.Literal l && l.value() == null
          ? new Expr.Literal(null, type) : new Expr.Call(Operator.CAST, List.of(a), type));
    }
    return new Resolved(new GenerateSeries(type), coerced);
  }
}
