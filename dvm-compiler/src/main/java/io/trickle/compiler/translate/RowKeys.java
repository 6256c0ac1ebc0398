package io.trickle.compiler.translate;

import io.trickle.compiler.expr.Expr;
import io.trickle.compiler.plan.RowKey;
import java.util.ArrayList;
import java.util.List;

/** Row-key derivation for operators whose key is not fixed by their constructor. */
final class RowKeys {
  private RowKeys() {}

  /** The input key, if every key column is passed through unchanged; else a row hash. */
  static RowKey project(RowKey input, List<Expr> exprs) {
    if (!input.unique()) {
      return RowKey.ROW_HASH;
    }
    List<Integer> out = new ArrayList<>();
    for (int keyColumn : input.columns()) {
      int found = -1;
      for (int i = 0; i < exprs.size() && found < 0; i++) {
        if (exprs.get(i) instanceof Expr.ColumnRef ref && ref.index() == keyColumn) {
          found = i;
        }
      }
      if (found < 0) {
        return RowKey.ROW_HASH;
      }
      out.add(found);
    }
    return RowKey.of(out);
  }

  /**
   * Both keys side by side: a pair of unique keys identifies a joined row. A single-row side
   * contributes no columns. If either side can hold duplicates, so can the join.
   */
  static RowKey join(RowKey left, RowKey right, int leftWidth) {
    if (!left.unique() || !right.unique()) {
      return RowKey.ROW_HASH;
    }
    List<Integer> out = new ArrayList<>(left.columns());
    for (int c : right.columns()) {
      out.add(leftWidth + c);
    }
    return RowKey.of(out);
  }
}
