package io.trickle.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.compiler.plan.Column;
import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.MaterializeOp;
import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.RowKey;
import io.trickle.compiler.plan.SourceOp;
import io.trickle.compiler.plan.SqlPos;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a stream table reads is part of its plan hash, so reading it otherwise rebuilds it. */
class PlanHashTest {
  private static final Plan PLAN = new Plan("copy", "select * from orders", new MaterializeOp(2,
      SqlPos.UNKNOWN, new SourceOp(1, SqlPos.UNKNOWN, "public", "orders",
          List.of(new Column("id", ColumnType.of(ColumnType.Kind.INTEGER))), RowKey.of(List.of(0))),
      "copy"));

  @Test
  void changeTopicsAndPartitionsArePartOfThePlanHash() {
    Map<String, String> topics = Map.of("public.orders", "trickle.chg.db.public.orders");
    String p1 = Deployment.planHash(null, PLAN, Map.of(), topics, 1);
    assertThat(Deployment.planHash(null, PLAN, Map.of(), topics, 1)).as("deterministic").isEqualTo(p1);
    assertThat(Deployment.planHash(null, PLAN, Map.of(), topics, 4)).as("another P").isNotEqualTo(p1);
    assertThat(Deployment.planHash(null, PLAN, Map.of(),
        Map.of("public.orders", "trickle.chg.other.public.orders"), 1)).as("another change topic")
        .isNotEqualTo(p1);
    assertThat(Deployment.planHash(null, PLAN, Map.of())).as("the runtime before change topics")
        .isNotEqualTo(p1);
  }
}
