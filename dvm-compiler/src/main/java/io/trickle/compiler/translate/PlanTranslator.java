package io.trickle.compiler.translate;

import io.trickle.compiler.CompileException;
import io.trickle.compiler.expr.Expr;
import io.trickle.compiler.expr.Operator;
import io.trickle.compiler.parse.PgOutputColumn;
import io.trickle.compiler.parse.SqlPositions;
import io.trickle.compiler.plan.Column;
import io.trickle.compiler.plan.MaterializeOp;
import io.trickle.compiler.plan.Op;
import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.ProjectOp;
import io.trickle.compiler.plan.SqlPos;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;

/**
 * Turns a normalised relational plan into a {@link Plan}: translates the operators, then makes
 * the output exactly what PostgreSQL says the query returns (its column names and type
 * spellings), adding a final project where Calcite's columns differ, and ends in one
 * {@link MaterializeOp}.
 */
public final class PlanTranslator {
  private PlanTranslator() {}

  /**
   * @param rel the normalised relational plan of {@code root}
   * @param root Calcite's root, whose {@code fields} say which rel fields are the output
   */
  public static Plan translate(String streamTable, String sql, RelRoot root, RelNode rel,
      List<PgOutputColumn> pgColumns, SqlPositions positions) {
    return translate(streamTable, sql, root, rel, pgColumns, positions, Map.of());
  }

  /**
   * @param streamTables qualified target table ({@code schema.table}) → stream table name: scans
   *     of these tables become sources that read the stream table's output topic
   */
  public static Plan translate(String streamTable, String sql, RelRoot root, RelNode rel,
      List<PgOutputColumn> pgColumns, SqlPositions positions, Map<String, String> streamTables) {
    return translate(streamTable, sql, root, rel, pgColumns, positions, streamTables,
        AggCallTranslator.DEFAULT_MAX_GROUPING_SETS);
  }

  /** @param maxGroupingSets the most grouping sets (ROLLUP, CUBE, ...) one GROUP BY may have */
  public static Plan translate(String streamTable, String sql, RelRoot root, RelNode rel,
      List<PgOutputColumn> pgColumns, SqlPositions positions, Map<String, String> streamTables,
      int maxGroupingSets) {
    OpPositions opPositions = new OpPositions(positions);
    RelToPlan translator = new RelToPlan(opPositions, rel.getCluster().getRexBuilder(),
        Map.copyOf(streamTables), maxGroupingSets);
    Bound top = translator.translate(rel);
    if (root.fields.size() != pgColumns.size()) {
      throw new CompileException(positions.selectList(), "PostgreSQL returns " + pgColumns.size()
          + " columns but Calcite " + root.fields.size() + "; this query shape is not supported");
    }
    List<Expr> exprs = new ArrayList<>();
    List<Column> columns = new ArrayList<>();
    boolean identity = top.op().columns().size() == pgColumns.size();
    for (int i = 0; i < pgColumns.size(); i++) {
      PgOutputColumn pg = pgColumns.get(i);
      SqlPos itemPos = opPositions.selectItem(i);
      if (pg.type() == null) {
        throw new CompileException(itemPos, "column " + pg.name() + " has type " + pg.pgType()
            + ", which is not supported yet");
      }
      Expr e = top.ref(root.fields.get(i).getKey(), itemPos);
      if (PinnedTimeZone.dependsOnZone(e.type().kind(), pg.type().kind())) {
        // Calcite types date_trunc('month', a_date) as a timestamp, PostgreSQL as timestamptz.
        e = PinnedTimeZone.convert(e, pg.type(), itemPos);
      } else if (e.type().kind() != pg.type().kind()) {
        e = new Expr.Call(Operator.CAST, List.of(e), pg.type());
      }
      identity &= e instanceof Expr.ColumnRef ref && ref.index() == i
          && top.op().columns().get(i).name().equals(pg.name())
          && top.op().columns().get(i).type().equals(pg.type());
      exprs.add(e);
      columns.add(new Column(pg.name(), pg.type()));
    }
    Op out = top.op();
    if (!identity) {
      if (out instanceof ProjectOp inner) {
        // Fold the renaming into the project below instead of stacking two projects.
        exprs = exprs.stream().map(e -> substitute(e, inner.exprs())).toList();
        out = inner.input();
      }
      out = new ProjectOp(translator.nextId(), opPositions.project(), out, exprs, columns,
          RowKeys.project(out.key(), exprs));
    }
    MaterializeOp materialize = new MaterializeOp(translator.nextId(), opPositions.start(), out,
        streamTable);
    return new Plan(streamTable, sql, materialize).withWarnings(translator.warnings());
  }

  /** Refs and casts of refs (some with a time zone literal) reach here (see above). */
  private static Expr substitute(Expr e, List<Expr> inner) {
    if (e instanceof Expr.ColumnRef ref) {
      return inner.get(ref.index());
    }
    if (e instanceof Expr.Literal) {
      return e;
    }
    Expr.Call call = (Expr.Call) e;
    return new Expr.Call(call.op(), call.args().stream().map(a -> substitute(a, inner)).toList(),
        call.type());
  }
}
