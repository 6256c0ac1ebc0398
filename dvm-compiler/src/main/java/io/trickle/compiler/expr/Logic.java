package io.trickle.compiler.expr;

import java.util.List;

/** AND, OR, NOT with SQL three-valued logic, and the never-NULL IS [NOT] NULL/TRUE/FALSE tests. */
final class Logic {
  private Logic() {}

  /** Left to right; stops at the first FALSE, so later arguments are not evaluated. */
  static CompiledExpr and(List<CompiledExpr> args) {
    CompiledExpr[] a = args.toArray(new CompiledExpr[0]);
    return row -> {
      boolean sawNull = false;
      for (CompiledExpr e : a) {
        Object v = e.eval(row);
        if (v == null) {
          sawNull = true;
        } else if (!(Boolean) v) {
          return Boolean.FALSE;
        }
      }
      return sawNull ? null : Boolean.TRUE;
    };
  }

  /** Left to right; stops at the first TRUE. */
  static CompiledExpr or(List<CompiledExpr> args) {
    CompiledExpr[] a = args.toArray(new CompiledExpr[0]);
    return row -> {
      boolean sawNull = false;
      for (CompiledExpr e : a) {
        Object v = e.eval(row);
        if (v == null) {
          sawNull = true;
        } else if ((Boolean) v) {
          return Boolean.TRUE;
        }
      }
      return sawNull ? null : Boolean.FALSE;
    };
  }

  static CompiledExpr not(CompiledExpr arg) {
    return row -> {
      Object v = arg.eval(row);
      return v == null ? null : !(Boolean) v;
    };
  }

  static CompiledExpr isNull(CompiledExpr arg, boolean wantNull) {
    return row -> (arg.eval(row) == null) == wantNull;
  }

  /** IS TRUE / IS FALSE (negated: IS NOT TRUE / IS NOT FALSE); NULL is neither true nor false. */
  static CompiledExpr is(CompiledExpr arg, Boolean target, boolean negated) {
    return row -> target.equals(arg.eval(row)) != negated;
  }
}
