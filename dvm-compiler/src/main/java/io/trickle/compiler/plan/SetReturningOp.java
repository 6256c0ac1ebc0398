package io.trickle.compiler.plan;

import io.trickle.compiler.expr.Expr;
import io.trickle.compiler.expr.SetFunction;
import java.util.List;
import java.util.Objects;

/**
 * A set-returning function in FROM ({@code FROM t, generate_series(1, t.n) g}): for each changed
 * input row, {@link #function()} is applied to {@link #args()} (evaluated over that row) and
 * every produced row is emitted as input columns ++ function columns (++ a 1-based bigint
 * ordinal WITH ORDINALITY) with the input change's weight. A lateral call depends on its own row
 * only, so the operator is linear and keeps no state. {@link #outer()} (LEFT JOIN LATERAL ... ON
 * true) emits the input row padded with NULLs when the function produces no rows.
 */
public final class SetReturningOp extends Op implements Linear {
  private final SetFunction function;
  private final List<Expr> args;
  private final boolean ordinality;
  private final boolean outer;

  public SetReturningOp(int id, SqlPos pos, Op input, SetFunction function, List<Expr> args,
      boolean ordinality, boolean outer, List<Column> columns, RowKey key) {
    super(id, pos, columns, key, List.of(input));
    this.function = Objects.requireNonNull(function, "function");
    this.args = List.copyOf(Objects.requireNonNull(args, "args"));
    this.ordinality = ordinality;
    this.outer = outer;
    int expected = input.columns().size() + function.columnTypes().size() + (ordinality ? 1 : 0);
    if (columns.size() != expected) {
      throw new IllegalArgumentException("input columns ++ function columns"
          + (ordinality ? " ++ ordinality" : "") + ": expected " + expected + " columns, got "
          + columns.size());
    }
  }

  public Op input() {
    return inputs().get(0);
  }

  public SetFunction function() {
    return function;
  }

  public List<Expr> args() {
    return args;
  }

  /** WITH ORDINALITY: the last column is the produced row's 1-based position (bigint). */
  public boolean ordinality() {
    return ordinality;
  }

  /** LEFT JOIN LATERAL ... ON true: an input row whose call produces no rows is kept, NULL-padded. */
  public boolean outer() {
    return outer;
  }

  /** Index of the first function column in {@link #columns()}. */
  public int firstFunctionColumn() {
    return input().columns().size();
  }

  @Override
  public String kind() {
    return "set-returning";
  }

  @Override
  public String describe() {
    StringBuilder sb = new StringBuilder(function.toString()).append(args);
    if (ordinality) {
      sb.append(" WITH ORDINALITY");
    }
    if (outer) {
      sb.append(" LEFT (NULL-padded when empty)");
    }
    return sb.toString();
  }

  @Override
  public <R> R accept(OpVisitor<R> visitor) {
    return visitor.visitSetReturning(this);
  }
}
