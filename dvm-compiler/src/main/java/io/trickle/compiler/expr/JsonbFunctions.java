package io.trickle.compiler.expr;

import io.trickle.compiler.plan.ColumnType.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Compiles the jsonb operators and functions; all are strict (NULL in, NULL out). */
public final class JsonbFunctions {
  private JsonbFunctions() {}

  static CompiledExpr compile(Expr.Call call, List<CompiledExpr> args) {
    if (call.args().isEmpty() || call.args().get(0).type().kind() != Kind.JSONB) {
      throw new IllegalArgumentException(call.op() + " needs a jsonb first argument: " + call);
    }
    return switch (call.op()) {
      case JSONB_GET -> get(call, args, false);
      case JSONB_GET_TEXT -> get(call, args, true);
      case JSONB_PATH -> path(call, args, false);
      case JSONB_PATH_TEXT -> path(call, args, true);
      case JSONB_TYPEOF -> strict(args.get(0), j -> j.typeName());
      case JSONB_ARRAY_LENGTH -> strict(args.get(0), PgJsonb::arrayLength);
      default -> throw new IllegalArgumentException("not a jsonb function: " + call);
    };
  }

  private static CompiledExpr get(Expr.Call call, List<CompiledExpr> args, boolean text) {
    arity(call, 2);
    Kind selector = call.args().get(1).type().kind();
    CompiledExpr json = args.get(0);
    CompiledExpr sel = args.get(1);
    if (selector.isInteger()) {
      return row -> {
        Object j = json.eval(row);
        Object i = j == null ? null : sel.eval(row);
        return i == null ? null : result(((PgJsonb) j).element((Long) i), text);
      };
    }
    if (selector != Kind.TEXT) {
      throw new IllegalArgumentException(call.op() + " needs a text key or an integer index: "
          + call);
    }
    return row -> {
      Object j = json.eval(row);
      Object k = j == null ? null : sel.eval(row);
      return k == null ? null : result(((PgJsonb) j).field((String) k), text);
    };
  }

  private static CompiledExpr path(Expr.Call call, List<CompiledExpr> args, boolean text) {
    arity(call, 2);
    CompiledExpr json = args.get(0);
    Expr pathExpr = call.args().get(1);
    if (pathExpr.type().kind() != Kind.TEXT) {
      throw new IllegalArgumentException(call.op() + " needs a text[] path literal: " + call);
    }
    if (pathExpr instanceof Expr.Literal l && l.value() instanceof String s) {
      List<String> steps = parsePath(s);
      return row -> {
        Object j = json.eval(row);
        return j == null ? null : result(((PgJsonb) j).path(steps), text);
      };
    }
    CompiledExpr sel = args.get(1);
    return row -> {
      Object j = json.eval(row);
      Object p = j == null ? null : sel.eval(row);
      return p == null ? null : result(((PgJsonb) j).path(parsePath((String) p)), text);
    };
  }

  private static Object result(PgJsonb j, boolean text) {
    return j == null ? null : text ? j.asText() : j;
  }

  private static CompiledExpr strict(CompiledExpr arg, Function<PgJsonb, Object> f) {
    return row -> {
      Object v = arg.eval(row);
      return v == null ? null : f.apply((PgJsonb) v);
    };
  }

  private static void arity(Expr.Call call, int n) {
    if (call.args().size() != n) {
      throw new IllegalArgumentException(call.op() + " takes " + n + " argument(s): " + call);
    }
  }

  /**
   * A one-dimensional text[] literal as PostgreSQL's array_in reads it: {@code {a,"b c",NULL}};
   * unquoted elements are trimmed, an unquoted NULL is a NULL element.
   *
   * @throws EvalException 22P02 for a malformed literal
   */
  public static List<String> parsePath(String s) {
    String t = s.strip();
    if (!t.startsWith("{") || !t.endsWith("}")) {
      throw malformed(s);
    }
    List<String> out = new ArrayList<>();
    String body = t.substring(1, t.length() - 1);
    if (body.isBlank()) {
      return out;
    }
    int i = 0;
    while (true) {
      while (i < body.length() && Character.isWhitespace(body.charAt(i))) {
        i++;
      }
      StringBuilder sb = new StringBuilder();
      boolean quoted = i < body.length() && body.charAt(i) == '"';
      if (quoted) {
        i++;
        while (i < body.length() && body.charAt(i) != '"') {
          char c = body.charAt(i++);
          if (c == '\\' && i < body.length()) {
            c = body.charAt(i++);
          }
          sb.append(c);
        }
        if (i >= body.length()) {
          throw malformed(s);
        }
        i++;
        while (i < body.length() && Character.isWhitespace(body.charAt(i))) {
          i++;
        }
      } else {
        while (i < body.length() && body.charAt(i) != ',') {
          char c = body.charAt(i++);
          if (c == '{' || c == '}' || c == '"') {
            throw malformed(s);
          }
          if (c == '\\' && i < body.length()) {
            c = body.charAt(i++);
          }
          sb.append(c);
        }
      }
      String element = quoted ? sb.toString() : sb.toString().strip();
      if (!quoted && element.isEmpty()) {
        throw malformed(s);
      }
      out.add(!quoted && element.equalsIgnoreCase("null") ? null : element);
      if (i >= body.length()) {
        return out;
      }
      if (body.charAt(i) != ',') {
        throw malformed(s);
      }
      i++;
    }
  }

  private static EvalException malformed(String s) {
    return new EvalException("22P02", "malformed array literal: \"" + s + "\"");
  }
}
