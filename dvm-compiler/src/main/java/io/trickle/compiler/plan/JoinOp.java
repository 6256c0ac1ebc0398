package io.trickle.compiler.plan;

import io.trickle.compiler.expr.Expr;
import java.util.List;
import java.util.Objects;

/**
 * Inner equi-join. Output columns are the left columns followed by the right columns. Each side
 * is indexed by its join key; a change on one side is joined against the other side's current
 * state (bilinear: ΔA⋈B + A'⋈ΔB). Join keys compare with SQL equality, so NULL never matches.
 * {@link #residual()} (nullable) is evaluated over the concatenated row.
 */
public final class JoinOp extends Op implements Stateful {
  private final List<Integer> leftKeys;
  private final List<Integer> rightKeys;
  private final Expr residual;

  public JoinOp(int id, SqlPos pos, Op left, Op right, List<Integer> leftKeys,
      List<Integer> rightKeys, Expr residual, List<Column> columns, RowKey key) {
    super(id, pos, columns, key, List.of(left, right));
    this.leftKeys = List.copyOf(Objects.requireNonNull(leftKeys, "leftKeys"));
    this.rightKeys = List.copyOf(Objects.requireNonNull(rightKeys, "rightKeys"));
    this.residual = residual;
    if (leftKeys.size() != rightKeys.size() || leftKeys.isEmpty()) {
      throw new IllegalArgumentException("an equi-join needs matching, non-empty key lists");
    }
  }

  public Op left() {
    return inputs().get(0);
  }

  public Op right() {
    return inputs().get(1);
  }

  public List<Integer> leftKeys() {
    return leftKeys;
  }

  public List<Integer> rightKeys() {
    return rightKeys;
  }

  /** Extra condition over the joined row, or null. */
  public Expr residual() {
    return residual;
  }

  @Override
  public String kind() {
    return "join";
  }

  @Override
  public String describe() {
    StringBuilder sb = new StringBuilder("inner on ");
    int leftWidth = left().columns().size();
    for (int i = 0; i < leftKeys.size(); i++) {
      if (i > 0) {
        sb.append(" AND ");
      }
      sb.append('$').append(leftKeys.get(i)).append(" = $").append(leftWidth + rightKeys.get(i));
    }
    if (residual != null) {
      sb.append(" residual ").append(residual);
    }
    return sb.toString();
  }

  @Override
  public List<String> storeNames() {
    return List.of(name() + "-left", name() + "-right");
  }

  @Override
  public <R> R accept(OpVisitor<R> visitor) {
    return visitor.visitJoin(this);
  }
}
