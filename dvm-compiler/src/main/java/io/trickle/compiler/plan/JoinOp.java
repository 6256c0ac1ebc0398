package io.trickle.compiler.plan;

import io.trickle.compiler.expr.Expr;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Equi-join of {@link #kind() kind} INNER, LEFT, RIGHT, FULL, SEMI or ANTI. Output columns are the
 * left columns followed by the right columns (SEMI and ANTI: the left columns only). Each side is
 * indexed by its join key; a change on one side is joined against the other side's current state
 * (bilinear: ΔA⋈B + A'⋈ΔB). Join keys compare with SQL equality, so NULL never matches. An empty
 * key list puts every row in one group (a cross product, or a join with no equality).
 * {@link #residual()} (nullable) is evaluated over the concatenated {@code left ++ right} row and
 * is part of the match condition: for outer, semi and anti joins a row "has a match" only if some
 * other-side row with its key also passes the residual.
 */
public final class JoinOp extends Op implements Stateful {
  /** Which rows a join keeps; the outer kinds NULL-pad rows of a preserved side without a match. */
  public enum JoinKind {
    INNER, LEFT, RIGHT, FULL, SEMI, ANTI;

    /** Unmatched left rows appear in the output (NULL-padded, or as-is for ANTI). */
    public boolean preservesLeft() {
      return this == LEFT || this == FULL;
    }

    public boolean preservesRight() {
      return this == RIGHT || this == FULL;
    }

    /** Only the left columns are output (semi- and anti-joins). */
    public boolean leftOnly() {
      return this == SEMI || this == ANTI;
    }

    /** Each left row needs its own count of matching right rows. */
    public boolean countsLeftMatches() {
      return preservesLeft() || leftOnly();
    }

    public boolean countsRightMatches() {
      return preservesRight();
    }
  }

  private final JoinKind joinKind;
  private final List<Integer> leftKeys;
  private final List<Integer> rightKeys;
  private final Expr residual;

  /** An inner join. */
  public JoinOp(int id, SqlPos pos, Op left, Op right, List<Integer> leftKeys,
      List<Integer> rightKeys, Expr residual, List<Column> columns, RowKey key) {
    this(id, pos, JoinKind.INNER, left, right, leftKeys, rightKeys, residual, columns, key);
  }

  public JoinOp(int id, SqlPos pos, JoinKind joinKind, Op left, Op right, List<Integer> leftKeys,
      List<Integer> rightKeys, Expr residual, List<Column> columns, RowKey key) {
    super(id, pos, columns, key, List.of(left, right));
    this.joinKind = Objects.requireNonNull(joinKind, "joinKind");
    this.leftKeys = List.copyOf(Objects.requireNonNull(leftKeys, "leftKeys"));
    this.rightKeys = List.copyOf(Objects.requireNonNull(rightKeys, "rightKeys"));
    this.residual = residual;
    if (leftKeys.size() != rightKeys.size()) {
      throw new IllegalArgumentException("an equi-join needs key lists of the same length");
    }
    int width = left.columns().size() + (joinKind.leftOnly() ? 0 : right.columns().size());
    if (columns.size() != width) {
      throw new IllegalArgumentException("a " + joinKind + " join outputs " + width + " columns, not "
          + columns.size());
    }
  }

  public JoinKind joinKind() {
    return joinKind;
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

  /** Extra condition over the concatenated {@code left ++ right} row, or null. */
  public Expr residual() {
    return residual;
  }

  @Override
  public String kind() {
    return "join";
  }

  @Override
  public String describe() {
    StringBuilder sb = new StringBuilder(joinKind.name().toLowerCase(Locale.ROOT)).append(" on ");
    int leftWidth = left().columns().size();
    if (leftKeys.isEmpty()) {
      sb.append("<no equality: one group>");
    }
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

  /**
   * Whether one side's changes wait for the epoch marker: a single-row input (a global aggregate,
   * such as a scalar subquery's) changes on almost every change of its own input, and each of its
   * changes re-joins the whole other side. Applied once per epoch, with its net change, the join
   * does that work once. Any order of applying the two sides' changes gives the same net output,
   * so holding one side back is exact.
   */
  public boolean defers(boolean leftSide) {
    Op own = leftSide ? left() : right();
    Op other = leftSide ? right() : left();
    return own.key().equals(RowKey.SINGLE_ROW) && !other.key().equals(RowKey.SINGLE_ROW);
  }

  /** The store holding a deferred side's changes until the marker. */
  public String pendingStoreName() {
    return name() + "-pending";
  }

  @Override
  public List<String> storeNames() {
    return defers(true) || defers(false)
        ? List.of(name() + "-left", name() + "-right", pendingStoreName())
        : List.of(name() + "-left", name() + "-right");
  }

  @Override
  public <R> R accept(OpVisitor<R> visitor) {
    return visitor.visitJoin(this);
  }
}
