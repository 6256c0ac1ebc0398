package io.trickle.compiler.translate;

import io.trickle.compiler.CompileException;
import io.trickle.compiler.expr.Expr;
import io.trickle.compiler.plan.Op;
import io.trickle.compiler.plan.SqlPos;

/**
 * A translated relational node: the operator, and where each Calcite field is among its
 * columns. A source leaves out columns of unsupported types, so their field maps to -1 and
 * {@code unavailable} says why; using such a field is a compile error.
 */
record Bound(Op op, int[] fields, String[] unavailable) {

  static Bound dense(Op op) {
    int n = op.columns().size();
    int[] fields = new int[n];
    for (int i = 0; i < n; i++) {
      fields[i] = i;
    }
    return new Bound(op, fields, new String[n]);
  }

  int width() {
    return fields.length;
  }

  /** The operator column of Calcite field {@code field}. */
  int column(int field, SqlPos pos) {
    int c = fields[field];
    if (c < 0) {
      throw new CompileException(pos, unavailable[field]);
    }
    return c;
  }

  Expr.ColumnRef ref(int field, SqlPos pos) {
    int c = column(field, pos);
    return new Expr.ColumnRef(c, op.columns().get(c).type());
  }

  /** This node's fields followed by {@code right}'s, over the concatenated operator columns. */
  Bound concat(Op joined, Bound right) {
    int leftWidth = op.columns().size();
    int[] f = new int[fields.length + right.fields.length];
    String[] u = new String[f.length];
    for (int i = 0; i < fields.length; i++) {
      f[i] = fields[i];
      u[i] = unavailable[i];
    }
    for (int i = 0; i < right.fields.length; i++) {
      f[fields.length + i] = right.fields[i] < 0 ? -1 : leftWidth + right.fields[i];
      u[fields.length + i] = right.unavailable[i];
    }
    return new Bound(joined, f, u);
  }
}
