package io.trickle.compiler.plan;

import java.util.List;

/**
 * UNION ALL: the Z-set sum of its inputs, so every input change passes through unchanged. The
 * inputs' rows can coincide, so the output is identified by row hash and counted.
 */
public final class UnionAllOp extends Op implements Linear {

  public UnionAllOp(int id, SqlPos pos, List<Op> inputs, List<Column> columns) {
    super(id, pos, columns, RowKey.ROW_HASH, inputs);
    if (inputs.size() < 2) {
      throw new IllegalArgumentException("a union needs at least two inputs");
    }
    for (Op in : inputs) {
      if (in.columns().size() != columns.size()) {
        throw new IllegalArgumentException("every union input needs " + columns.size() + " columns");
      }
    }
  }

  @Override
  public String kind() {
    return "union";
  }

  @Override
  public String describe() {
    return "all of " + inputs().size() + " inputs";
  }

  @Override
  public <R> R accept(OpVisitor<R> visitor) {
    return visitor.visitUnionAll(this);
  }
}
