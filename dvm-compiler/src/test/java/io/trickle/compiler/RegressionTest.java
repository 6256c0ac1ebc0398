package io.trickle.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.compiler.plan.Plan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Queries that once broke the compiler, found by the end-to-end tests. */
class RegressionTest {
  private static CompilerTestDatabase db;

  @BeforeAll
  static void start() throws Exception {
    db = new CompilerTestDatabase();
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
  }

  @Test
  void groupByOrdinalOfACaseExpression() {
    Plan plan = db.compile("SELECT CASE WHEN amount >= 500 THEN 'high' ELSE 'low' END AS band,"
        + " count(*) AS n FROM orders GROUP BY 1 HAVING count(*) > 1");
    assertThat(plan.explain()).as("explain").contains("aggregate");
  }

  @Test
  void groupByAJoinedColumnWithAnAggregateOverTheOtherSide() {
    Plan plan = db.compile("SELECT c.name AS customer, count(*) AS n, min(o.amount) AS lowest,"
        + " count(o.qty) AS with_qty FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY c.name");
    assertThat(plan.explain()).as("explain").doesNotContain("ANY_VALUE").contains("join");
  }
}
