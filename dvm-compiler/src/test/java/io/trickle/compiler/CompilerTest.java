package io.trickle.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.compiler.plan.AggCall;
import io.trickle.compiler.plan.AggregateOp;
import io.trickle.compiler.plan.Column;
import io.trickle.compiler.plan.JoinOp;
import io.trickle.compiler.plan.Op;
import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.RowKey;
import io.trickle.compiler.plan.SourceOp;
import io.trickle.compiler.plan.SqlPos;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Compiles supported queries against a real PostgreSQL catalog and checks the plans. */
class CompilerTest {
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
  void filterAndProject() {
    Plan plan = db.compileFile("""
        CREATE STREAM TABLE big_orders AS
        SELECT id, amount * 2 AS twice
        FROM orders
        WHERE qty > 1 AND amount IS NOT NULL;
        """);

    assertThat(kinds(plan)).containsExactly("source", "filter", "project", "materialize");
    assertThat(plan.streamTable()).isEqualTo("big_orders");
    assertThat(plan.columns()).extracting(Column::name, c -> c.type().pgType())
        .containsExactly(tuple("id", "bigint"), tuple("twice", "numeric"));
    assertThat(plan.root().key()).as("the primary key survives the project")
        .isEqualTo(RowKey.of(List.of(0)));
    assertThat(op(plan, "source").pos()).as("FROM orders").isEqualTo(new SqlPos(3, 6));
    assertThat(op(plan, "filter").pos()).as("WHERE").isEqualTo(new SqlPos(4, 7));
    assertThat(op(plan, "project").pos()).as("select list").isEqualTo(new SqlPos(2, 8));
    assertThat(plan.explain())
        .contains("filter-2 AND[GREATER_THAN[$3, 1], IS_NOT_NULL[$2]]  key=[id]  at 4:7")
        .contains("project-3 [$0, TIMES[$2, 2]]  key=[id]  at 2:8")
        .contains("source-1 public.orders  key=[id]  at 3:6");
  }

  @Test
  void columnsCarryPostgresTypesVerbatim() {
    Plan plan = db.compile("select tier, region, amount, amount::numeric(8,1) as r, ts, tstz,"
        + " qty::text as t, weight, score, placed from orders o join customers c"
        + " on c.id = o.customer_id");

    assertThat(plan.columns()).extracting(c -> c.type().pgType()).containsExactly(
        "character(3)", "character varying(20)", "numeric(10,2)", "numeric(8,1)",
        "timestamp without time zone", "timestamp with time zone", "text", "real",
        "double precision", "date");
    assertThat(plan.columns().get(3).type().precision()).isEqualTo(8);
    assertThat(plan.columns().get(3).type().scale()).isEqualTo(1);
  }

  @Test
  void threeTableJoinWithOnAndWithCommaWhereGiveTheSamePlan() {
    Plan on = db.compile("select c.name, count(*) as n, sum(i.price) as revenue"
        + " from customers c join orders o on o.customer_id = c.id"
        + " join items i on i.order_id = o.id group by c.name");
    Plan comma = db.compile("select c.name, count(*) as n, sum(i.price) as revenue"
        + " from customers c, orders o, items i"
        + " where o.customer_id = c.id and i.order_id = o.id group by c.name");

    assertThat(kinds(on)).containsExactly("source", "source", "join", "source", "join",
        "aggregate", "materialize");
    assertThat(withoutPositions(comma.explain())).isEqualTo(withoutPositions(on.explain()));
    List<JoinOp> joins = ops(on, JoinOp.class);
    assertThat(joins.get(0).leftKeys()).containsExactly(0);
    assertThat(joins.get(0).rightKeys()).as("orders.customer_id").containsExactly(1);
    assertThat(joins.get(0).key()).as("customers.id ++ orders.id")
        .isEqualTo(RowKey.of(List.of(0, 4)));
    assertThat(joins.get(1).leftKeys()).as("orders.id in the joined row").containsExactly(4);
    assertThat(joins.get(1).rightKeys()).as("items.order_id").containsExactly(0);
    assertThat(joins.get(1).key()).as("orders.note (jsonb) is a column now")
        .isEqualTo(RowKey.of(List.of(0, 4, 14, 15)));
    assertThat(joins).extracting(Op::pos).as("the JOIN keywords")
        .containsExactly(new SqlPos(1, 72), new SqlPos(1, 110));
    assertThat(ops(comma, JoinOp.class)).extracting(Op::pos).as("the joined tables")
        .containsExactly(new SqlPos(1, 73), new SqlPos(1, 83));
    assertThat(on.root().key()).as("group key").isEqualTo(RowKey.of(List.of(0)));
    assertThat(on.columns()).extracting(c -> c.type().pgType())
        .containsExactly("text", "bigint", "numeric");
  }

  @Test
  void groupByWithEveryAggregateAndHaving() {
    Plan plan = db.compileFile("""
        create stream table per_customer as
        select customer_id, count(*) as n, count(amount) as na, sum(qty) as sq, sum(id) as sid,
               sum(amount) as sa, sum(weight) as sw, avg(qty) as aq, avg(score) as av,
               min(amount) as mi, max(placed) as ma
        from orders
        group by customer_id
        having count(*) > 1
        """);

    AggregateOp agg = ops(plan, AggregateOp.class).get(0);
    assertThat(agg.aggs()).extracting(AggCall::kind).containsExactly(
        AggCall.Kind.COUNT_STAR, AggCall.Kind.COUNT, AggCall.Kind.SUM, AggCall.Kind.SUM,
        AggCall.Kind.SUM, AggCall.Kind.SUM, AggCall.Kind.AVG, AggCall.Kind.AVG,
        AggCall.Kind.MIN, AggCall.Kind.MAX);
    assertThat(agg.groupKeys()).as("customer_id").containsExactly(1);
    assertThat(agg.pos()).as("GROUP BY item").isEqualTo(new SqlPos(6, 10));
    assertThat(op(plan, "filter").pos()).as("HAVING").isEqualTo(new SqlPos(7, 8));
    assertThat(plan.columns()).extracting(Column::name, c -> c.type().pgType()).containsExactly(
        tuple("customer_id", "integer"), tuple("n", "bigint"), tuple("na", "bigint"),
        tuple("sq", "bigint"), tuple("sid", "numeric"), tuple("sa", "numeric"),
        tuple("sw", "real"), tuple("aq", "numeric"), tuple("av", "double precision"),
        tuple("mi", "numeric"), tuple("ma", "date"));
    assertThat(agg.aggs()).as("aggregate types as PostgreSQL declares them")
        .extracting(a -> a.type().pgType()).containsExactly("bigint", "bigint", "bigint",
            "numeric", "numeric", "real", "numeric", "double precision", "numeric", "date");
    assertThat(plan.root().key()).isEqualTo(RowKey.of(List.of(0)));
  }

  @Test
  void globalAggregateHasASingleRow() {
    Plan plan = db.compile("select count(*) as n, sum(amount) as total, avg(customer_id) as a"
        + " from orders where qty is not null");

    AggregateOp agg = ops(plan, AggregateOp.class).get(0);
    assertThat(agg.isGlobal()).isTrue();
    assertThat(plan.root().key()).isEqualTo(RowKey.SINGLE_ROW);
    assertThat(plan.explain()).contains("materialize-4 st  key=<single row>");
    assertThat(plan.columns()).extracting(c -> c.type().pgType())
        .containsExactly("bigint", "numeric", "numeric");
    assertThat(agg.pos()).as("first aggregate call").isEqualTo(new SqlPos(1, 8));
  }

  @Test
  void viewsAreInlined() {
    Plan plan = db.compile("select id, amount from big_orders where customer_id = 3");

    assertThat(plan.sources()).extracting(SourceOp::qualifiedName)
        .containsExactly("public.orders");
    assertThat(plan.explain()).contains("GREATER_THAN[$2, 100]").contains("EQUALS[$1, 3]");
    assertThat(plan.root().key()).isEqualTo(RowKey.of(List.of(0)));
    assertThat(op(plan, "source").pos()).as("the view's name in FROM")
        .isEqualTo(new SqlPos(1, 24));
  }

  @Test
  void keylessTableWithReplicaIdentityFullIsHashKeyed() {
    Plan plan = db.compile("select kind, n from audit");

    assertThat(plan.sources().get(0).key()).isEqualTo(RowKey.ROW_HASH);
    assertThat(plan.root().key()).isEqualTo(RowKey.ROW_HASH);
  }

  @Test
  void schemaQualifiedTables() {
    Plan plan = db.compile("select t.region, t.target from sales.targets t");

    assertThat(plan.sources()).extracting(SourceOp::schema, SourceOp::table)
        .containsExactly(tuple("sales", "targets"));
    assertThat(plan.root().key()).isEqualTo(RowKey.of(List.of(0)));
  }

  @Test
  void droppingTheKeyMakesRowsCounted() {
    Plan plan = db.compile("select customer_id from orders");

    assertThat(plan.root().key()).isEqualTo(RowKey.ROW_HASH);
  }

  @Test
  void expressionsTranslateToTheExpressionIr() {
    Plan plan = db.compile("select id, case when qty > 2 then 'big' else 'small' end as size,"
        + " coalesce(amount, 0) as a, score between 1 and 2 as b from orders"
        + " where customer_id in (1, 2) and not (qty <> 3) and placed > '2024-01-31'");

    assertThat(plan.explain())
        .contains("CASE[GREATER_THAN[$3, 2], 'big', 'small']")
        .contains("CASE[IS_NOT_NULL[$2], $2, 0.00]")
        .contains("AND[GREATER_THAN_OR_EQUAL[$7, 1.0], LESS_THAN_OR_EQUAL[$7, 2.0]]")
        .contains("OR[EQUALS[$1, 1], EQUALS[$1, 2]]")
        .contains("GREATER_THAN[$4, 2024-01-31]");
    assertThat(plan.columns()).extracting(c -> c.type().pgType())
        .containsExactly("bigint", "text", "numeric", "boolean");
  }

  @Test
  void idsAreUniqueAndStoresNamedAfterThem() {
    Plan plan = db.compile("select c.name, count(*) as n from customers c join orders o"
        + " on o.customer_id = c.id group by c.name");

    assertThat(plan.operators()).extracting(Op::id).doesNotHaveDuplicates();
    assertThat(ops(plan, JoinOp.class).get(0).storeNames())
        .containsExactly("join-3-left", "join-3-right");
  }

  private static org.assertj.core.groups.Tuple tuple(Object... values) {
    return org.assertj.core.groups.Tuple.tuple(values);
  }

  private static List<String> kinds(Plan plan) {
    return plan.operators().stream().map(Op::kind).toList();
  }

  private static Op op(Plan plan, String kind) {
    return plan.operators().stream().filter(o -> o.kind().equals(kind)).findFirst().orElseThrow();
  }

  private static <T extends Op> List<T> ops(Plan plan, Class<T> type) {
    return plan.operators().stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static String withoutPositions(String explain) {
    return explain.replaceAll("  at \\d+:\\d+", "");
  }
}
