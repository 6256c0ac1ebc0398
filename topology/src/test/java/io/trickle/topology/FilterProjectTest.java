package io.trickle.topology;

import static io.trickle.topology.Harness.row;
import static io.trickle.topology.Plans.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.compiler.expr.Expr;
import io.trickle.compiler.expr.Operator;
import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.FilterOp;
import io.trickle.compiler.plan.MaterializeOp;
import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.ProjectOp;
import io.trickle.compiler.plan.RowKey;
import io.trickle.compiler.plan.SourceOp;
import io.trickle.compiler.plan.SqlPos;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stateless operators, and evaluation errors that must not stop the stream. */
class FilterProjectTest {
  private static final ColumnType BOOL = ColumnType.of(ColumnType.Kind.BOOLEAN);
  private static final SourceOp T = Plans.source(1, "t", col("id", Plans.INT), col("a", Plans.INT),
      col("b", Plans.INT));

  private static Expr ref(int i) {
    return new Expr.ColumnRef(i, Plans.INT);
  }

  /** select id, a / b as q from t where a > 0 */
  private static Plan plan() {
    FilterOp filter = new FilterOp(2, new SqlPos(1, 30), T, new Expr.Call(Operator.GREATER_THAN,
        List.of(ref(1), new Expr.Literal(0L, Plans.INT)), BOOL));
    ProjectOp project = new ProjectOp(3, new SqlPos(1, 8), filter,
        List.of(ref(0), new Expr.Call(Operator.DIVIDE, List.of(ref(1), ref(2)), Plans.INT)),
        List.of(col("id", Plans.INT), col("q", Plans.INT)), RowKey.of(List.of(0)));
    return new Plan("q", "select id, a / b as q from t where a > 0",
        new MaterializeOp(4, SqlPos.UNKNOWN, project, "q"));
  }

  @Test
  void filterAndProjectUnderInsertUpdateDelete() {
    try (Harness h = new Harness(plan())) {
      h.insert("t", row("id", 1, "a", 4, "b", 2)).insert("t", row("id", 2, "a", -1, "b", 1));
      assertThat(h.drain()).as("row 2 fails the filter").filteredOn(s -> !s.startsWith("marker"))
          .containsExactly("{\"id\":1} -> {\"id\":1,\"q\":2}");
      h.update("t", row("id", 1, "a", 4, "b", 4));
      assertThat(h.drain()).first().isEqualTo("{\"id\":1} -> {\"id\":1,\"q\":1}");
      h.update("t", row("id", 2, "a", 3, "b", 1));
      assertThat(h.drain()).as("an update into the filter").first().isEqualTo("{\"id\":2} -> {\"id\":2,\"q\":3}");
      h.update("t", row("id", 1, "a", -4, "b", 4));
      assertThat(h.drain()).as("an update out of the filter").first().isEqualTo("{\"id\":1} -> null");
      h.delete("t", row("id", 2));
      assertThat(h.drain()).first().isEqualTo("{\"id\":2} -> null");
    }
  }

  @Test
  void divisionByZeroBecomesAnErrorRecordAndTheStreamGoesOn() {
    try (Harness h = new Harness(plan())) {
      h.insert("t", row("id", 1, "a", 5, "b", 0));
      List<String> out = h.drain();
      assertThat(out).as("one error record, no data, marker pending").hasSize(1);
      assertThat(out.get(0)).startsWith("error {\"message\":")
          .contains("\"row\":{\"id\":1,\"a\":5,\"b\":0}", "\"sqlstate\":\"22012\"",
              "\"operator\":\"project-3\"", "\"position\":\"1:8\"");
      assertThat(h.metricTotal("project-3", TrickleMetrics.EVALUATION_ERRORS)).isEqualTo(1.0);

      h.insert("t", row("id", 2, "a", 6, "b", 3));
      assertThat(h.drain()).as("later rows still flow").first().isEqualTo("{\"id\":2} -> {\"id\":2,\"q\":2}");
    }
  }
}
