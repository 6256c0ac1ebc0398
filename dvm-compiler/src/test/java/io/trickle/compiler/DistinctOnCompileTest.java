package io.trickle.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trickle.compiler.plan.AggregateOp;
import io.trickle.compiler.plan.FilterOp;
import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.TopKOp;
import io.trickle.compiler.plan.WindowOp;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DISTINCT ON, and ROW_NUMBER() filtered to the first rows, compile to a TopK per partition. */
class DistinctOnCompileTest {
  private static CompilerTestDatabase db;

  @BeforeAll
  static void start() throws Exception {
    db = new CompilerTestDatabase();
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
  }

  private static List<TopKOp> topKs(Plan plan) {
    return plan.operators().stream().filter(TopKOp.class::isInstance).map(TopKOp.class::cast)
        .toList();
  }

  private static TopKOp onlyTopK(Plan plan) {
    List<TopKOp> ops = topKs(plan);
    assertThat(ops).as("TopK operators in%n%s", plan.explain()).hasSize(1);
    return ops.get(0);
  }

  /** The column name of a TopK's input column. */
  private static String name(TopKOp op, int column) {
    return op.input().columns().get(column).name();
  }

  @Test
  void distinctOnIsATopKOfOneRowPerPartition() {
    Plan plan = db.compile("select distinct on (customer_id) customer_id, id from orders"
        + " order by customer_id, id desc");
    TopKOp topK = onlyTopK(plan);
    assertThat(topK.limit()).isEqualTo(1);
    assertThat(topK.offset()).isZero();
    assertThat(topK.partitionKeys()).as(plan.explain()).hasSize(1);
    assertThat(name(topK, topK.partitionKeys().get(0))).isEqualTo("customer_id");
    assertThat(topK.sortKeys()).as("the DISTINCT ON key is constant in a partition; only id orders")
        .hasSize(1);
    assertThat(name(topK, topK.sortKeys().get(0).column())).isEqualTo("id");
    assertThat(topK.sortKeys().get(0).descending()).isTrue();
    assertThat(plan.operators()).as(plan.explain()).noneMatch(WindowOp.class::isInstance)
        .noneMatch(AggregateOp.class::isInstance).noneMatch(FilterOp.class::isInstance);
    assertThat(plan.columns()).extracting(c -> c.name()).containsExactly("customer_id", "id");
    assertThat(plan.explain()).contains("topk-").contains("partition by").contains("limit 1");
  }

  @Test
  void positionsAndOutputNamesMeanSelectItems() {
    Plan plan = db.compile("select distinct on (c, 2) customer_id as c, qty, id from orders"
        + " order by 1, qty, amount desc nulls last, id");
    TopKOp topK = onlyTopK(plan);
    assertThat(topK.partitionKeys()).extracting(k -> name(topK, k))
        .containsExactly("customer_id", "qty");
    assertThat(topK.sortKeys()).extracting(k -> name(topK, k.column()))
        .containsExactly("amount", "id");
    assertThat(topK.sortKeys().get(0).nullsFirst()).as("explicit NULLS LAST on DESC").isFalse();
  }

  @Test
  void expressionsNotSelectedAndOverAnAggregate() {
    TopKOp byExpression = onlyTopK(db.compile("select distinct on (customer_id % 10) id"
        + " from orders order by customer_id % 10, placed, id"));
    assertThat(byExpression.partitionKeys()).hasSize(1);
    Plan grouped = db.compile("select distinct on (customer_id) customer_id, qty, count(*) as n"
        + " from orders group by customer_id, qty order by customer_id, count(*) desc, qty");
    TopKOp topK = onlyTopK(grouped);
    assertThat(topK.input()).as(grouped.explain()).isInstanceOf(AggregateOp.class);
  }

  @Test
  void withLimitTheTopKPerPartitionFeedsAGlobalTopK() {
    Plan plan = db.compile("select distinct on (customer_id) customer_id, amount from orders"
        + " order by customer_id, amount desc, id limit 5");
    List<TopKOp> ops = topKs(plan);
    assertThat(ops).as(plan.explain()).hasSize(2);
    assertThat(ops).extracting(TopKOp::limit).containsExactlyInAnyOrder(1L, 5L);
  }

  @Test
  void withoutOrderByTheRowIsChosenByItsEncoding() {
    TopKOp topK = onlyTopK(db.compile("select distinct on (customer_id) customer_id, id from orders"));
    assertThat(topK.sortKeys()).isEmpty();
    assertThat(topK.limit()).isEqualTo(1);
  }

  @Test
  void nestedInSubqueriesCtesAndUnions() {
    assertThat(topKs(db.compile("select t.customer_id, count(*) as n from (select distinct on"
        + " (customer_id, qty) customer_id, qty from orders order by customer_id, qty, id) t"
        + " group by t.customer_id"))).hasSize(1);
    assertThat(topKs(db.compile("with latest as (select distinct on (customer_id) customer_id, id"
        + " from orders order by customer_id, id desc) select l.id, c.name from latest l"
        + " join customers c on c.id = l.customer_id"))).hasSize(1);
    assertThat(topKs(db.compile("(select distinct on (customer_id) customer_id, id from orders"
        + " order by customer_id, id) union all (select distinct on (id) id, 0 from customers)"
        + " union all select distinct customer_id, qty from orders"))).hasSize(2);
  }

  @Test
  void textInLiteralsAndCommentsIsNotTakenForDistinctOn() {
    Plan plan = db.compile("/* select distinct on (x) */ select distinct on ( -- )\n"
        + " customer_id) 'select distinct on (' as \"distinct on (\", id\n"
        + "from orders order by customer_id, id");
    assertThat(onlyTopK(plan).partitionKeys()).hasSize(1);
    assertThat(plan.columns()).extracting(c -> c.name()).containsExactly("distinct on (", "id");
  }

  @Test
  void errorsNameTheColumnAndTheQuery() {
    assertThatThrownBy(() -> db.compile("select distinct on (id,\n  raw) id from raw_payloads"))
        .isInstanceOf(CompileException.class)
        .hasMessageStartingWith("line 2, column ")
        .hasMessageContaining("could not identify an equality operator for type json");
  }

  @Test
  void rowNumberFilteredToTheFirstRowsIsATopK() {
    Plan plan = db.compile("select id, amount from (select id, amount, row_number() over"
        + " (partition by customer_id order by amount desc, id) as rn from orders) t where rn <= 3"
        + " and amount > 0");
    TopKOp topK = onlyTopK(plan);
    assertThat(topK.limit()).isEqualTo(3);
    assertThat(plan.operators()).as(plan.explain()).noneMatch(WindowOp.class::isInstance)
        .anyMatch(op -> op instanceof FilterOp f && f.input() == topK);
    assertThat(onlyTopK(db.compile("select id from (select id, row_number() over (partition by"
        + " customer_id order by id) as rn from orders) t where 2 > rn")).limit()).isEqualTo(1);
  }

  @Test
  void rowNumberThatIsOutputOrOtherwiseComparedStaysAWindow() {
    for (String sql : List.of(
        "select id, rn from (select id, row_number() over (partition by customer_id order by id)"
            + " as rn from orders) t where rn = 1",
        "select id from (select id, row_number() over (partition by customer_id order by id)"
            + " as rn from orders) t where rn = 2",
        "select id from (select id, rank() over (partition by customer_id order by id)"
            + " as rn from orders) t where rn = 1")) {
      Plan plan = db.compile(sql);
      assertThat(topKs(plan)).as(plan.explain()).isEmpty();
      assertThat(plan.operators()).as(plan.explain()).anyMatch(WindowOp.class::isInstance);
    }
  }

  @Test
  void aViewUsingDistinctOnIsRejectedPlainly() {
    assertThatThrownBy(() -> db.compile("select id from latest_orders"))
        .isInstanceOf(CompileException.class)
        .hasMessage("line 1, column 1: a view whose definition uses DISTINCT ON is not supported"
            + " yet; write the DISTINCT ON in the stream table's own query");
  }
}
