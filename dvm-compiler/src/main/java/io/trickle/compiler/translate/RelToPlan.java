package io.trickle.compiler.translate;

import io.trickle.compiler.CompileException;
import io.trickle.compiler.expr.Expr;
import io.trickle.compiler.parse.PgColumn;
import io.trickle.compiler.parse.PgRelation;
import io.trickle.compiler.plan.AggCall;
import io.trickle.compiler.plan.AggregateOp;
import io.trickle.compiler.plan.Column;
import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.FilterOp;
import io.trickle.compiler.plan.Op;
import io.trickle.compiler.plan.TopKOp;
import io.trickle.compiler.plan.JoinOp;
import io.trickle.compiler.plan.ProjectOp;
import io.trickle.compiler.plan.RowKey;
import io.trickle.compiler.plan.SetOperationOp;
import io.trickle.compiler.plan.SourceOp;
import io.trickle.compiler.plan.SqlPos;
import io.trickle.compiler.rel.PgTable;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelShuttle;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.SetOp;
import org.apache.calcite.rel.core.TableFunctionScan;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalAsofJoin;
import org.apache.calcite.rel.logical.LogicalCalc;
import org.apache.calcite.rel.logical.LogicalCorrelate;
import org.apache.calcite.rel.logical.LogicalExchange;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalIntersect;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.logical.LogicalMatch;
import org.apache.calcite.rel.logical.LogicalMinus;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalRepeatUnion;
import org.apache.calcite.rel.logical.LogicalSort;
import org.apache.calcite.rel.logical.LogicalTableModify;
import org.apache.calcite.rel.logical.LogicalUnion;
import org.apache.calcite.rel.logical.LogicalValues;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;

/**
 * Translates a normalised Calcite plan into plan operators, one method per relational operator
 * kind. Results are remembered per node, because a Calcite plan can be a DAG. Anything without a
 * differential operator yet fails with the construct's name and position.
 */
final class RelToPlan implements RelShuttle {
  private final OpPositions positions;
  private final RexBuilder rexBuilder;
  private final Map<String, String> streamTables;
  private final Map<RelNode, Bound> done = new IdentityHashMap<>();
  private final int maxGroupingSets;
  private final List<String> warnings = new ArrayList<>();
  private int nextId = 1;

  /** @param streamTables qualified target table → stream table name, for tables read upstream */
  RelToPlan(OpPositions positions, RexBuilder rexBuilder, Map<String, String> streamTables) {
    this(positions, rexBuilder, streamTables, AggCallTranslator.DEFAULT_MAX_GROUPING_SETS);
  }

  /** @param maxGroupingSets the most grouping sets one GROUP BY may have */
  RelToPlan(OpPositions positions, RexBuilder rexBuilder, Map<String, String> streamTables,
      int maxGroupingSets) {
    this.positions = positions;
    this.rexBuilder = rexBuilder;
    this.streamTables = streamTables;
    this.maxGroupingSets = maxGroupingSets;
  }

  int nextId() {
    return nextId++;
  }

  /** What the user should know about the result (see {@link Determinism}), in plan order. */
  List<String> warnings() {
    return List.copyOf(new java.util.LinkedHashSet<>(warnings));
  }

  Bound translate(RelNode rel) {
    Bound b = done.get(rel);
    if (b == null) {
      rowNumberTopKs(rel);
      rel.accept(this);
      b = done.get(rel);
    }
    return b;
  }

  /** An input filter keeping the first rows of a ROW_NUMBER that {@code rel} drops is a TopK. */
  private void rowNumberTopKs(RelNode rel) {
    for (RelNode input : rel.getInputs()) {
      if (input instanceof LogicalFilter filter && !done.containsKey(filter)) {
        RowNumberTopK.match(filter, rel).ifPresent(m -> {
          Bound b = RowNumberTopK.translate(m, translate(m.window().getInput()), rexBuilder,
              positions.project(), this::nextId);
          Op top = b.op() instanceof FilterOp f ? f.input() : b.op();
          if (top instanceof TopKOp topK) {
            Determinism.topK(topK, "a DISTINCT ON or ROW_NUMBER() top-k filter")
                .ifPresent(warnings::add);
          }
          put(filter, b);
        });
      }
    }
  }

  private RelNode put(RelNode rel, Bound b) {
    done.put(rel, b);
    return rel;
  }

  @Override
  public RelNode visit(TableScan scan) {
    PgTable table = scan.getTable().unwrap(PgTable.class);
    List<String> name = scan.getTable().getQualifiedName();
    if (table == null) {
      throw new CompileException(positions.start(), "cannot read " + String.join(".", name)
          + ": only PostgreSQL tables and views are supported");
    }
    PgRelation rel = table.relation();
    SqlPos pos = positions.scan(rel.name());
    List<Column> columns = new ArrayList<>();
    int n = rel.columns().size();
    int[] fields = new int[n];
    String[] unavailable = new String[n];
    for (int i = 0; i < n; i++) {
      PgColumn c = rel.columns().get(i);
      if (c.supported()) {
        fields[i] = columns.size();
        columns.add(new Column(c.name(), c.type()));
      } else {
        fields[i] = -1;
        unavailable[i] = c.unsupportedMessage();
      }
    }
    RowKey key = sourceKey(rel, columns, pos);
    SourceOp op = new SourceOp(nextId(), pos, rel.schema(), rel.name(), columns, key,
        streamTables.get(rel.qualifiedName()));
    return put(scan, new Bound(op, fields, unavailable));
  }

  private static RowKey sourceKey(PgRelation rel, List<Column> columns, SqlPos pos) {
    if (rel.primaryKey().isEmpty()) {
      if (!rel.replicaIdentityFull()) {
        String t = rel.qualifiedName();
        throw new CompileException(pos, "table " + t + " has no primary key and REPLICA IDENTITY is"
            + " not FULL, so deletes and updates cannot be captured; add a primary key or run"
            + " ALTER TABLE " + t + " REPLICA IDENTITY FULL");
      }
      return RowKey.ROW_HASH;
    }
    List<Integer> key = new ArrayList<>();
    for (String k : rel.primaryKey()) {
      int index = -1;
      for (int i = 0; i < columns.size(); i++) {
        if (columns.get(i).name().equals(k)) {
          index = i;
        }
      }
      if (index < 0) {
        PgColumn c = rel.columns().stream().filter(x -> x.name().equals(k)).findFirst().orElseThrow();
        throw new CompileException(pos, "primary key column " + k + " of " + rel.qualifiedName()
            + " has type " + c.pgType() + ", which is not supported yet");
      }
      key.add(index);
    }
    return RowKey.of(key);
  }

  @Override
  public RelNode visit(LogicalFilter filter) {
    Bound in = translate(filter.getInput());
    SqlPos pos = underAggregate(filter.getInput()) ? positions.having() : positions.where();
    Expr predicate = RexToExpr.translate(rexBuilder, filter.getCondition(), in, pos);
    FilterOp op = new FilterOp(nextId(), pos, in.op(), predicate);
    return put(filter, new Bound(op, in.fields(), in.unavailable()));
  }

  private static boolean underAggregate(RelNode input) {
    RelNode r = input;
    while (r instanceof LogicalProject || r instanceof LogicalFilter) {
      r = r.getInput(0);
    }
    return r instanceof Aggregate;
  }

  @Override
  public RelNode visit(LogicalProject project) {
    Bound in = translate(project.getInput());
    SqlPos pos = positions.project();
    List<Expr> exprs = new ArrayList<>();
    List<Column> columns = new ArrayList<>();
    List<String> names = project.getRowType().getFieldNames();
    for (int i = 0; i < project.getProjects().size(); i++) {
      Expr e = RexToExpr.translate(rexBuilder, project.getProjects().get(i), in, pos);
      exprs.add(e);
      columns.add(new Column(names.get(i), e.type()));
    }
    ProjectOp op = new ProjectOp(nextId(), pos, in.op(), exprs, columns,
        RowKeys.project(in.op().key(), exprs));
    return put(project, Bound.dense(op));
  }

  @Override
  public RelNode visit(LogicalJoin join) {
    if (SetReturningTranslator.applies(join.getRight())) {
      return put(join, SetReturningTranslator.join(rexBuilder, this::nextId, positions.join(),
          translate(join.getLeft()), join));
    }
    JoinOp.JoinKind kind = switch (join.getJoinType()) {
      case INNER -> JoinOp.JoinKind.INNER;
      case LEFT -> JoinOp.JoinKind.LEFT;
      case RIGHT -> JoinOp.JoinKind.RIGHT;
      case FULL -> JoinOp.JoinKind.FULL;
      case SEMI -> JoinOp.JoinKind.SEMI;
      case ANTI -> JoinOp.JoinKind.ANTI;
      default -> throw new CompileException(positions.join(), join.getJoinType().name()
          + " JOIN is not supported yet");
    };
    Bound left = translate(join.getLeft());
    Bound right = translate(join.getRight());
    SqlPos pos = positions.join();
    // Strict equality only: IS NOT DISTINCT FROM would match NULLs, which key lookups never do.
    // Without any equality every row falls into one key group (a cross product plus residual).
    JoinInfo info = JoinInfo.createWithStrictEquality(join.getLeft(), join.getRight(),
        join.getCondition());
    List<Integer> leftKeys = new ArrayList<>();
    List<Integer> rightKeys = new ArrayList<>();
    for (int i = 0; i < info.leftKeys.size(); i++) {
      leftKeys.add(left.column(info.leftKeys.get(i), pos));
      rightKeys.add(right.column(info.rightKeys.get(i), pos));
    }
    List<Column> columns = new ArrayList<>(left.op().columns());
    if (!kind.leftOnly()) {
      columns.addAll(right.op().columns());
    }
    RowKey key = switch (kind) {
      case INNER -> RowKeys.join(left.op().key(), right.op().key(), left.op().columns().size());
      case SEMI, ANTI -> left.op().key();
      // A NULL-padded row has NULLs in the other side's key columns, which cannot be part of
      // the target table's primary key: outer joins are identified by row hash.
      case LEFT, RIGHT, FULL -> RowKey.ROW_HASH;
    };
    RexNode remaining = info.getRemaining(rexBuilder);
    int id = nextId();
    // The residual is translated over the joined row left ++ right (also for semi- and
    // anti-joins, whose output is only the left row), so it needs that row's columns first.
    List<Column> joinedColumns = new ArrayList<>(left.op().columns());
    joinedColumns.addAll(right.op().columns());
    Bound probe = left.concat(new JoinOp(id, pos, left.op(), right.op(), leftKeys, rightKeys, null,
        joinedColumns, RowKey.ROW_HASH), right);
    Expr residual = remaining.isAlwaysTrue() ? null
        : RexToExpr.translate(rexBuilder, remaining, probe, pos);
    JoinOp op = new JoinOp(id, pos, kind, left.op(), right.op(), leftKeys, rightKeys, residual,
        columns, key);
    return put(join, kind.leftOnly() ? new Bound(op, left.fields(), left.unavailable())
        : left.concat(op, right));
  }

  @Override
  public RelNode visit(LogicalAggregate aggregate) {
    Bound in = translate(aggregate.getInput());
    SqlPos pos = positions.aggregate();
    List<List<Integer>> groupSets = AggCallTranslator.groupSets(aggregate, pos, maxGroupingSets);
    List<Integer> groupKeys = new ArrayList<>();
    List<Column> columns = new ArrayList<>();
    List<String> names = aggregate.getRowType().getFieldNames();
    for (int field : aggregate.getGroupSet()) {
      int c = in.column(field, pos);
      groupKeys.add(c);
      columns.add(new Column(names.get(columns.size()), in.op().columns().get(c).type()));
    }
    List<AggCall> aggs = new ArrayList<>();
    // Subquery removal marks matched groups with LITERAL_AGG(true): the same constant in every
    // group, so it is a project over the aggregate rather than an aggregate function.
    List<RexNode> literals = new ArrayList<>();
    for (int i = 0; i < aggregate.getAggCallList().size(); i++) {
      AggregateCall call = aggregate.getAggCallList().get(i);
      String name = names.get(groupKeys.size() + i);
      if (call.getAggregation().getKind() == SqlKind.LITERAL_AGG && call.rexList.size() == 1) {
        literals.add(call.rexList.get(0));
        continue;
      }
      literals.add(null);
      AggCall agg = AggCallTranslator.aggCall(call, in, pos, name);
      Determinism.orderedAggregate(agg, groupKeys, in.op(), pos).ifPresent(warnings::add);
      aggs.add(agg);
      columns.add(new Column(agg.name(), agg.type()));
    }
    AggregateOp op = new AggregateOp(nextId(), pos, in.op(), groupKeys, groupSets, aggs, columns);
    if (literals.stream().allMatch(java.util.Objects::isNull)) {
      return put(aggregate, Bound.dense(op));
    }
    List<Expr> exprs = new ArrayList<>();
    List<Column> projected = new ArrayList<>();
    for (int i = 0; i < groupKeys.size(); i++) {
      exprs.add(new Expr.ColumnRef(i, columns.get(i).type()));
    }
    int next = groupKeys.size();
    for (RexNode literal : literals) {
      exprs.add(literal == null ? new Expr.ColumnRef(next, columns.get(next++).type())
          : RexToExpr.translate(rexBuilder, literal, Bound.dense(op), pos));
    }
    for (int i = 0; i < exprs.size(); i++) {
      projected.add(new Column(names.get(i), exprs.get(i).type()));
    }
    ProjectOp project = new ProjectOp(nextId(), pos, op, exprs, projected,
        RowKeys.project(op.key(), exprs));
    return put(aggregate, Bound.dense(project));
  }

  private RelNode unsupported(RelNode rel, String construct) {
    throw new CompileException(positions.start(), construct + " is not supported yet");
  }

  @Override
  public RelNode visit(LogicalValues values) {
    return unsupported(values, "a constant relation (VALUES, or an IN list Calcite turned into one)");
  }

  @Override
  public RelNode visit(LogicalSort sort) {
    Bound in = translate(sort.getInput());
    boolean topK = sort.fetch != null || sort.offset != null;
    Bound b = SortTranslator.translate(sort, in, topK ? nextId() : 0, positions.orderBy());
    if (b.op() instanceof TopKOp t) {
      Determinism.topK(t, "LIMIT/OFFSET").ifPresent(warnings::add);
    }
    return put(sort, b);
  }

  @Override
  public RelNode visit(LogicalUnion union) {
    return setOperation(union, union.all ? null : SetOperationOp.Kind.UNION);
  }

  @Override
  public RelNode visit(LogicalIntersect intersect) {
    return setOperation(intersect, intersect.all ? SetOperationOp.Kind.INTERSECT_ALL
        : SetOperationOp.Kind.INTERSECT);
  }

  @Override
  public RelNode visit(LogicalMinus minus) {
    return setOperation(minus, minus.all ? SetOperationOp.Kind.EXCEPT_ALL
        : SetOperationOp.Kind.EXCEPT);
  }

  private RelNode setOperation(SetOp setOp, SetOperationOp.Kind kind) {
    List<Bound> inputs = new ArrayList<>();
    for (RelNode in : setOp.getInputs()) {
      inputs.add(translate(in));
    }
    return put(setOp, Bound.dense(SetOperationTranslator.translate(setOp, kind, inputs,
        this::nextId, positions.start())));
  }

  @Override
  public RelNode visit(LogicalCorrelate correlate) {
    JoinRelType type = correlate.getJoinType();
    if ((type == JoinRelType.INNER || type == JoinRelType.LEFT)
        && SetReturningTranslator.applies(correlate.getRight())) {
      Bound left = translate(correlate.getLeft());
      return put(correlate, SetReturningTranslator.translate(rexBuilder, this::nextId,
          positions.join(), left, correlate.getRight(), correlate.getCorrelationId(),
          type == JoinRelType.LEFT));
    }
    return unsupported(correlate, "a correlated subquery");
  }

  @Override
  public RelNode visit(LogicalCalc calc) {
    return unsupported(calc, "a Calc node");
  }

  @Override
  public RelNode visit(TableFunctionScan scan) {
    return unsupported(scan, "a set-returning function in FROM without a table before it"
        + " (a constant relation)");
  }

  @Override
  public RelNode visit(LogicalMatch match) {
    return unsupported(match, "MATCH_RECOGNIZE");
  }

  @Override
  public RelNode visit(LogicalExchange exchange) {
    return unsupported(exchange, "an exchange");
  }

  @Override
  public RelNode visit(LogicalTableModify modify) {
    return unsupported(modify, "INSERT/UPDATE/DELETE");
  }

  @Override
  public RelNode visit(LogicalAsofJoin join) {
    return unsupported(join, "ASOF JOIN");
  }

  @Override
  public RelNode visit(LogicalRepeatUnion union) {
    return unsupported(union, "WITH RECURSIVE");
  }

  @Override
  public RelNode visit(RelNode other) {
    if (other instanceof TableFunctionScan scan) {
      return visit(scan);
    }
    if (other instanceof org.apache.calcite.rel.core.Window window) {
      Bound in = translate(window.getInput());
      Bound b = WindowTranslator.translate(rexBuilder, window, in, positions.project(),
          this::nextId);
      for (Op op = b.op(); op instanceof io.trickle.compiler.plan.WindowOp w && op != in.op();
          op = w.input()) {
        warnings.addAll(Determinism.window(w));
      }
      return put(window, b);
    }
    return unsupported(other, other.getRelTypeName());
  }
}
