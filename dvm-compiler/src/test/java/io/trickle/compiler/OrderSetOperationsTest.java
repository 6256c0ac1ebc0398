package io.trickle.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trickle.compiler.plan.Op;
import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.RowKey;
import io.trickle.compiler.plan.SetOperationOp;
import io.trickle.compiler.plan.TopKOp;
import io.trickle.compiler.plan.UnionAllOp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ORDER BY, LIMIT/OFFSET (TopK), DISTINCT and set operations compile to the expected operators. */
class OrderSetOperationsTest {
  private static CompilerTestDatabase db;

  @BeforeAll
  static void start() throws Exception {
    db = new CompilerTestDatabase();
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
  }

  private static <T extends Op> T only(Plan plan, Class<T> kind) {
    var ops = plan.operators().stream().filter(kind::isInstance).map(kind::cast).toList();
    assertThat(ops).as("%s operators in%n%s", kind.getSimpleName(), plan.explain()).hasSize(1);
    return ops.get(0);
  }

  @Test
  void orderByWithoutLimitIsDropped() {
    Plan plan = db.compile("select id, amount from orders order by amount desc, id");
    assertThat(plan.operators()).as(plan.explain()).noneMatch(TopKOp.class::isInstance);
    assertThat(plan.root().key()).isEqualTo(RowKey.of(java.util.List.of(0)));
  }

  @Test
  void orderByInsideSubqueryWithoutLimitIsDropped() {
    Plan plan = db.compile("select x.id from (select id from orders order by amount) x");
    assertThat(plan.operators()).as(plan.explain()).noneMatch(TopKOp.class::isInstance);
  }

  @Test
  void orderByLimitIsTopKKeyedLikeItsInput() {
    Plan plan = db.compile("select id, amount from orders order by amount desc, id limit 10 offset 5");
    TopKOp topk = only(plan, TopKOp.class);
    assertThat(topk.limit()).isEqualTo(10);
    assertThat(topk.offset()).isEqualTo(5);
    assertThat(topk.sortKeys()).hasSize(2);
    assertThat(topk.sortKeys().get(0).descending()).isTrue();
    assertThat(topk.sortKeys().get(0).nullsFirst()).as("PostgreSQL: DESC is NULLS FIRST").isTrue();
    assertThat(topk.sortKeys().get(1).nullsFirst()).as("ASC is NULLS LAST").isFalse();
    assertThat(plan.root().key().unique()).isTrue();
    assertThat(plan.explain()).contains("topk-").contains("limit 10").contains("offset 5");
  }

  @Test
  void fetchFirstAndExplicitNullOrder() {
    TopKOp topk = only(db.compile("select id from orders order by amount nulls first"
        + " fetch first 3 rows only"), TopKOp.class);
    assertThat(topk.limit()).isEqualTo(3);
    assertThat(topk.sortKeys().get(0).nullsFirst()).isTrue();
  }

  @Test
  void limitInSubqueryAndByExpressionNotSelected() {
    Plan plan = db.compile("select t.customer_id, count(*) as n from (select customer_id from orders"
        + " order by amount * 2 limit 5) t group by t.customer_id");
    only(plan, TopKOp.class);
  }

  @Test
  void offsetWithoutLimitIsTopKWithoutLimit() {
    Plan plan = db.compile("select id from orders order by id offset 5");
    TopKOp topk = only(plan, TopKOp.class);
    assertThat(topk.offset()).isEqualTo(5);
    assertThat(topk.limit()).isEqualTo(TopKOp.NO_LIMIT);
    assertThat(plan.explain()).contains("offset 5").doesNotContain("limit");
    assertThat(db.compile("select id from orders order by id offset 0").operators())
        .as("OFFSET 0 changes nothing").noneMatch(TopKOp.class::isInstance);
  }

  @Test
  void setOperations() {
    assertThat(only(db.compile("select id from customers union all select customer_id from orders"),
        UnionAllOp.class).key()).isEqualTo(RowKey.ROW_HASH);
    assertThat(only(db.compile("select id from customers union select customer_id from orders"),
        SetOperationOp.class).setKind()).isEqualTo(SetOperationOp.Kind.UNION);
    assertThat(only(db.compile("select id from customers intersect all select customer_id from"
        + " orders"), SetOperationOp.class).setKind()).isEqualTo(SetOperationOp.Kind.INTERSECT_ALL);
    assertThat(db.compile("select id from customers except select customer_id from orders"
        + " except select product_id from items").operators())
        .filteredOn(SetOperationOp.class::isInstance).hasSize(2);
  }

  @Test
  void setOperationCastsInputsToTheResultType() {
    Plan plan = db.compile("select id from orders union all select amount from orders");
    assertThat(plan.explain()).as(plan.explain()).contains("union-");
    assertThat(plan.columns().get(0).type().pgType()).isEqualTo("numeric");
  }

  @Test
  void selectDistinctIsAnAggregate() {
    Plan plan = db.compile("select distinct customer_id, qty from orders");
    assertThat(plan.explain()).as(plan.explain()).contains("aggregate-");
  }

  @Test
  void setOperationUnderLimit() {
    Plan plan = db.compile("select id from customers union select customer_id from orders"
        + " order by 1 limit 3");
    only(plan, TopKOp.class);
    only(plan, SetOperationOp.class);
  }
}
