package io.trickle.compiler.expr;

import java.util.List;

/** CASE and COALESCE: only the selected branch is evaluated, as in PostgreSQL. */
final class Conditionals {
  private Conditionals() {}

  /** args: cond1, value1, ..., [else]. A NULL condition counts as not true. */
  static CompiledExpr caseWhen(List<CompiledExpr> args) {
    int pairs = args.size() / 2;
    CompiledExpr[] conds = new CompiledExpr[pairs];
    CompiledExpr[] values = new CompiledExpr[pairs];
    for (int i = 0; i < pairs; i++) {
      conds[i] = args.get(2 * i);
      values[i] = args.get(2 * i + 1);
    }
    CompiledExpr otherwise = args.size() % 2 == 1 ? args.get(args.size() - 1) : row -> null;
    return row -> {
      for (int i = 0; i < conds.length; i++) {
        if (Boolean.TRUE.equals(conds[i].eval(row))) {
          return values[i].eval(row);
        }
      }
      return otherwise.eval(row);
    };
  }

  static CompiledExpr coalesce(List<CompiledExpr> args) {
    CompiledExpr[] a = args.toArray(new CompiledExpr[0]);
    return row -> {
      for (CompiledExpr e : a) {
        Object v = e.eval(row);
        if (v != null) {
          return v;
        }
      }
      return null;
    };
  }
}
