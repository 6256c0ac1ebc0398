package io.trickle.compiler.translate;

import io.trickle.compiler.CompileException;
import io.trickle.compiler.expr.EvalException;
import io.trickle.compiler.expr.Expr;
import io.trickle.compiler.expr.JsonbFunctions;
import io.trickle.compiler.expr.Operator;
import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.ColumnType.Kind;
import io.trickle.compiler.plan.SqlPos;
import java.util.List;
import java.util.function.Function;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;

/**
 * The jsonb operators {@code -> ->> #> #>>} and the functions jsonb_typeof and
 * jsonb_array_length, typed as PostgreSQL types them.
 */
final class JsonbCalls {
  private static final ColumnType JSONB = ColumnType.of(Kind.JSONB);
  private static final ColumnType TEXT = ColumnType.of(Kind.TEXT);

  private final Function<RexNode, Expr> operand;
  private final SqlPos pos;

  JsonbCalls(Function<RexNode, Expr> operand, SqlPos pos) {
    this.operand = operand;
    this.pos = pos;
  }

  /** @param name the operator or function name, upper case; null if not a jsonb call */
  Expr translate(RexCall call, String name) {
    return switch (name) {
      case "->" -> get(call, Operator.JSONB_GET, JSONB);
      case "->>" -> get(call, Operator.JSONB_GET_TEXT, TEXT);
      case "#>" -> path(call, Operator.JSONB_PATH, JSONB);
      case "#>>" -> path(call, Operator.JSONB_PATH_TEXT, TEXT);
      case "JSONB_TYPEOF" -> new Expr.Call(Operator.JSONB_TYPEOF, List.of(json(call, name)), TEXT);
      case "JSONB_ARRAY_LENGTH" -> new Expr.Call(Operator.JSONB_ARRAY_LENGTH,
          List.of(json(call, name)), ColumnType.of(Kind.INTEGER));
      default -> null;
    };
  }

  private Expr get(RexCall call, Operator op, ColumnType type) {
    Expr json = json(call, call.getOperator().getName());
    Expr selector = operand.apply(call.getOperands().get(1));
    Kind k = selector.type().kind();
    if (!k.isInteger() && k != Kind.TEXT) {
      throw new CompileException(pos, "the jsonb operator " + call.getOperator().getName()
          + " takes a text key or an integer index, not " + selector.type());
    }
    return new Expr.Call(op, List.of(json, selector), type);
  }

  private Expr path(RexCall call, Operator op, ColumnType type) {
    String name = call.getOperator().getName();
    Expr json = json(call, name);
    Expr path = operand.apply(call.getOperands().get(1));
    if (!(path instanceof Expr.Literal l) || !(l.value() instanceof String s)) {
      throw new CompileException(pos, "the jsonb operator " + name + " is supported with a"
          + " constant path such as '{a,0}' only");
    }
    try {
      JsonbFunctions.parsePath(s);
    } catch (EvalException e) {
      throw new CompileException(pos, e.getMessage());
    }
    return new Expr.Call(op, List.of(json, path), type);
  }

  private Expr json(RexCall call, String name) {
    Expr json = operand.apply(call.getOperands().get(0));
    if (json instanceof Expr.Literal l && l.value() == null) {
      return new Expr.Literal(null, JSONB);
    }
    if (json.type().kind() != Kind.JSONB) {
      throw new CompileException(pos, name.toLowerCase(java.util.Locale.ROOT) + " on "
          + json.type() + " is not supported (only on jsonb)");
    }
    return json;
  }
}
