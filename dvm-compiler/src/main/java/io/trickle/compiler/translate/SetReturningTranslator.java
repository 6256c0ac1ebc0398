package io.trickle.compiler.translate;

import io.trickle.compiler.CompileException;
import io.trickle.compiler.expr.Expr;
import io.trickle.compiler.expr.SetFunction;
import io.trickle.compiler.expr.Unnest;
import io.trickle.compiler.plan.Column;
import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.FilterOp;
import io.trickle.compiler.plan.Op;
import io.trickle.compiler.plan.ProjectOp;
import io.trickle.compiler.plan.RowKey;
import io.trickle.compiler.plan.SetReturningOp;
import io.trickle.compiler.plan.SqlPos;
import io.trickle.compiler.rel.PgSetReturningFunctions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.CorrelationId;
import org.apache.calcite.rel.core.TableFunctionScan;
import org.apache.calcite.rel.core.Uncollect;
import org.apache.calcite.rel.logical.LogicalValues;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexFieldAccess;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;

/**
 * A set-returning function joined laterally to the rows before it ({@code FROM t, f(t.x) g},
 * Calcite's Correlate or, when nothing is correlated, a Join with a TableFunctionScan) becomes a
 * {@link SetReturningOp} over the left input. Filters and projects Calcite put above the scan on
 * the right side (an ON condition, column renames) are applied over the joined row afterwards.
 */
final class SetReturningTranslator {
  private final RexBuilder rexBuilder;
  private final IntSupplier ids;
  private final SqlPos pos;
  private final Bound left;
  private final CorrelationId correlation;

  private SetReturningTranslator(RexBuilder rexBuilder, IntSupplier ids, SqlPos pos, Bound left,
      CorrelationId correlation) {
    this.rexBuilder = rexBuilder;
    this.ids = ids;
    this.pos = pos;
    this.left = left;
    this.correlation = correlation;
  }

  /** Whether {@code right} is a set-returning function scan this class can translate. */
  static boolean applies(RelNode right) {
    RelNode r = right;
    while (r instanceof LogicalFilter || r instanceof LogicalProject) {
      r = r.getInput(0);
    }
    return r instanceof TableFunctionScan scan && scan.getInputs().isEmpty()
        || r instanceof Uncollect u && unnestArgs(u) != null;
  }

  /** UNNEST's arrays: Calcite projects them from a one-row VALUES below Uncollect. */
  private static List<RexNode> unnestArgs(Uncollect uncollect) {
    if (uncollect.getInput() instanceof LogicalProject p
        && p.getInput() instanceof LogicalValues v && v.getTuples().size() == 1) {
      return p.getProjects();
    }
    return null;
  }

  /**
   * @param correlation the correlate's variable, or null for a join without correlation
   * @param outer LEFT JOIN LATERAL ... ON true
   * @return the joined row: the left fields followed by the right side's fields
   */
  static Bound translate(RexBuilder rexBuilder, IntSupplier ids, SqlPos pos, Bound left,
      RelNode right, CorrelationId correlation, boolean outer) {
    SetReturningTranslator t = new SetReturningTranslator(rexBuilder, ids, pos, left, correlation);
    if (outer && !(right instanceof TableFunctionScan || right instanceof Uncollect)) {
      throw new CompileException(pos, "LEFT JOIN LATERAL with a set-returning function is"
          + " supported only with ON true");
    }
    return t.right(right, outer);
  }

  /** A join whose right side is an uncorrelated set-returning function: a cross product. */
  static Bound join(RexBuilder rexBuilder, IntSupplier ids, SqlPos pos, Bound left,
      org.apache.calcite.rel.core.Join join) {
    boolean always = join.getCondition().isAlwaysTrue();
    switch (join.getJoinType()) {
      case INNER -> { }
      case LEFT -> {
        if (!always) {
          throw new CompileException(pos, "LEFT JOIN with a set-returning function is supported"
              + " only with ON true");
        }
      }
      default -> throw new CompileException(pos, join.getJoinType() + " JOIN with a set-returning"
          + " function is not supported yet");
    }
    Bound joined = translate(rexBuilder, ids, pos, left, join.getRight(), null,
        join.getJoinType() == org.apache.calcite.rel.core.JoinRelType.LEFT);
    if (always) {
      return joined;
    }
    Expr predicate = RexToExpr.translate(rexBuilder, join.getCondition(), joined, pos);
    return new Bound(new FilterOp(ids.getAsInt(), pos, joined.op(), predicate), joined.fields(),
        joined.unavailable());
  }

  private Bound right(RelNode rel, boolean outer) {
    if (rel instanceof TableFunctionScan scan) {
      return scan(scan, outer);
    }
    if (rel instanceof Uncollect uncollect) {
      return unnest(uncollect, outer);
    }
    if (rel instanceof LogicalFilter filter) {
      Bound in = right(filter.getInput(), false);
      Expr predicate = RexToExpr.translate(rexBuilder, shift(filter.getCondition()), in, pos);
      return new Bound(new FilterOp(ids.getAsInt(), pos, in.op(), predicate), in.fields(),
          in.unavailable());
    }
    LogicalProject project = (LogicalProject) rel;
    Bound in = right(project.getInput(), false);
    List<Expr> exprs = new ArrayList<>();
    List<Column> columns = new ArrayList<>();
    List<Column> inColumns = in.op().columns();
    int leftOpWidth = left.op().columns().size();
    for (int i = 0; i < leftOpWidth; i++) {
      exprs.add(new Expr.ColumnRef(i, inColumns.get(i).type()));
      columns.add(inColumns.get(i));
    }
    List<String> names = project.getRowType().getFieldNames();
    for (int i = 0; i < project.getProjects().size(); i++) {
      Expr e = RexToExpr.translate(rexBuilder, shift(project.getProjects().get(i)), in, pos);
      exprs.add(e);
      columns.add(new Column(names.get(i), e.type()));
    }
    ProjectOp op = new ProjectOp(ids.getAsInt(), pos, in.op(), exprs, columns,
        RowKeys.project(in.op().key(), exprs));
    return left.concat(op, identity(project.getProjects().size()));
  }

  private Bound scan(TableFunctionScan scan, boolean outer) {
    if (!(scan.getCall() instanceof RexCall call)) {
      throw new CompileException(pos, "a table function is not supported yet");
    }
    String name = call.getOperator().getName();
    boolean ordinality = name.endsWith(PgSetReturningFunctions.ORDINALITY_SUFFIX);
    if (ordinality) {
      name = name.substring(0, name.length() - PgSetReturningFunctions.ORDINALITY_SUFFIX.length());
    }
    List<Expr> args = new ArrayList<>();
    for (RexNode operand : call.getOperands()) {
      args.add(RexToExpr.translate(rexBuilder, correlated(operand), left, pos));
    }
    SetFunctions.Resolved resolved = SetFunctions.resolve(name, args, pos);
    List<Column> columns = new ArrayList<>(left.op().columns());
    List<String> names = scan.getRowType().getFieldNames();
    List<ColumnType> types = resolved.function().columnTypes();
    for (int i = 0; i < types.size(); i++) {
      columns.add(new Column(names.get(i), types.get(i)));
    }
    if (ordinality) {
      columns.add(new Column(names.get(types.size()), ColumnType.of(ColumnType.Kind.BIGINT)));
    }
    RowKey key = ordinality ? ordinalKey(left.op(), columns.size() - 1)
        : key(left.op(), resolved.function().distinctRows(), types.size());
    SetReturningOp op = new SetReturningOp(ids.getAsInt(), pos, left.op(), resolved.function(),
        resolved.args(), ordinality, outer, columns, key);
    return left.concat(op, identity(columns.size() - left.op().columns().size()));
  }

  /** WITH ORDINALITY: the input key ++ the ordinal identify a row. */
  private static RowKey ordinalKey(Op input, int ordinalColumn) {
    if (!input.key().unique()) {
      return RowKey.ROW_HASH;
    }
    List<Integer> cols = new ArrayList<>(input.key().columns());
    cols.add(ordinalColumn);
    return RowKey.of(cols);
  }

  private Bound unnest(Uncollect uncollect, boolean outer) {
    List<RexNode> arrays = unnestArgs(uncollect);
    if (arrays.size() != 1) {
      throw new CompileException(pos, "unnest with more than one array is not supported yet");
    }
    Expr array = RexToExpr.translate(rexBuilder, correlated(arrays.get(0)), left, pos);
    if (array.type().kind() != ColumnType.Kind.ARRAY) {
      throw new CompileException(pos, "unnest over " + array.type() + " is not supported yet");
    }
    SetFunction function = new Unnest(array.type().element());
    boolean ordinality = uncollect.withOrdinality;
    List<Column> columns = new ArrayList<>(left.op().columns());
    List<String> names = uncollect.getRowType().getFieldNames();
    columns.add(new Column(names.get(0), array.type().element()));
    if (ordinality) {
      columns.add(new Column(names.get(1), ColumnType.of(ColumnType.Kind.BIGINT)));
    }
    RowKey key = ordinality ? ordinalKey(left.op(), columns.size() - 1) : RowKey.ROW_HASH;
    SetReturningOp op = new SetReturningOp(ids.getAsInt(), pos, left.op(), function,
        List.of(array), ordinality, outer, columns, key);
    return left.concat(op, identity(columns.size() - left.op().columns().size()));
  }

  /** Input key ++ produced columns identify a row when one call never repeats a row. */
  private static RowKey key(Op input, boolean distinctRows, int produced) {
    if (!input.key().unique() || !distinctRows) {
      return RowKey.ROW_HASH;
    }
    List<Integer> cols = new ArrayList<>(input.key().columns());
    for (int i = 0; i < produced; i++) {
      cols.add(input.columns().size() + i);
    }
    return RowKey.of(cols);
  }

  /** Fields 0..n-1 of the right side, for {@link Bound#concat} (which reads only fields). */
  private Bound identity(int n) {
    int[] fields = new int[n];
    for (int i = 0; i < n; i++) {
      fields[i] = i;
    }
    return new Bound(left.op(), fields, new String[n]);
  }

  /** Correlation variables read the left row's fields. */
  private RexNode correlated(RexNode rex) {
    return rex.accept(new RexShuttle() {
      @Override
      public RexNode visitFieldAccess(RexFieldAccess access) {
        if (access.getReferenceExpr() instanceof RexCorrelVariable v
            && (correlation == null || v.id.equals(correlation))) {
          return new RexInputRef(access.getField().getIndex(), access.getType());
        }
        return super.visitFieldAccess(access);
      }
    });
  }

  /** Right-side field i is joined-row field leftWidth + i; correlation reads left fields. */
  private RexNode shift(RexNode rex) {
    int width = left.width();
    return correlated(rex.accept(new RexShuttle() {
      @Override
      public RexNode visitInputRef(RexInputRef ref) {
        return new RexInputRef(width + ref.getIndex(), ref.getType());
      }
    }));
  }
}
