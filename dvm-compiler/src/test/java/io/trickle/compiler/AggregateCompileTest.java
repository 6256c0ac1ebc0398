package io.trickle.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trickle.compiler.parse.StreamTableDefinition;
import io.trickle.compiler.plan.AggCall;
import io.trickle.compiler.plan.AggregateOp;
import io.trickle.compiler.plan.Column;
import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.RowKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DISTINCT, FILTER, ORDER BY inside aggregates, the variance family, BOOL_AND/OR, STRING_AGG and
 * grouping sets compile to one Aggregate operator, with PostgreSQL's result types.
 */
class AggregateCompileTest {
  private static CompilerTestDatabase db;

  @BeforeAll
  static void start() throws Exception {
    db = new CompilerTestDatabase();
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
  }

  private static AggregateOp aggregate(Plan plan) {
    return plan.operators().stream().filter(AggregateOp.class::isInstance)
        .map(AggregateOp.class::cast).reduce((a, b) -> b).orElseThrow();
  }

  @Test
  void distinctFilterAndVariance() {
    Plan plan = db.compile("select customer_id, count(distinct qty) as dq,"
        + " sum(amount) filter (where qty > 1) as big, stddev(qty) as sd, var_pop(amount) as vp,"
        + " stddev_samp(score) as ss, variance(weight) as vw from orders group by customer_id");
    AggregateOp agg = aggregate(plan);
    assertThat(agg.aggs()).extracting(AggCall::kind).containsExactly(AggCall.Kind.COUNT,
        AggCall.Kind.SUM, AggCall.Kind.STDDEV_SAMP, AggCall.Kind.VAR_POP, AggCall.Kind.STDDEV_SAMP,
        AggCall.Kind.VAR_SAMP);
    assertThat(agg.aggs().get(0).distinct()).as("count(distinct qty)").isTrue();
    assertThat(agg.aggs().get(1).filter()).as("FILTER column").isGreaterThanOrEqualTo(0);
    assertThat(plan.columns()).extracting(c -> c.type().pgType()).as("PostgreSQL's types")
        .containsExactly("integer", "bigint", "numeric", "numeric", "numeric", "double precision",
            "double precision");
    assertThat(plan.explain()).as("explain").contains("COUNT(DISTINCT $1)").contains("FILTER $");
  }

  @Test
  void boolAndStringAgg() {
    Plan plan = db.compile("select customer_id, bool_and(qty > 1) as a, bool_or(qty > 1) as o,"
        + " every(amount > 0) as e, string_agg(qty::text, ', ' order by id desc) as s"
        + " from orders group by customer_id");
    AggregateOp agg = aggregate(plan);
    assertThat(agg.aggs()).extracting(AggCall::kind).containsExactly(AggCall.Kind.BOOL_AND,
        AggCall.Kind.BOOL_OR, AggCall.Kind.BOOL_AND, AggCall.Kind.STRING_AGG);
    assertThat(agg.aggs().get(3).orderBy()).as("ORDER BY id DESC").hasSize(1);
    assertThat(agg.aggs().get(3).orderBy().get(0).descending()).as("DESC").isTrue();
    assertThat(agg.aggs().get(3).orderBy().get(0).nullsFirst()).as("DESC puts NULLs first")
        .isTrue();
    assertThat(plan.columns()).extracting(Column::name).containsExactly("customer_id", "a", "o",
        "e", "s");
  }

  @Test
  void rollupIsOneAggregateWithGroupingSets() {
    Plan plan = db.compile("select customer_id, qty, count(*) as n, grouping(customer_id, qty) as g"
        + " from orders group by rollup (customer_id, qty)");
    AggregateOp agg = aggregate(plan);
    assertThat(agg.groupSets()).as("rollup sets").hasSize(3);
    assertThat(agg.key()).as("sets can repeat rows").isEqualTo(RowKey.ROW_HASH);
    assertThat(agg.aggs()).extracting(AggCall::kind).contains(AggCall.Kind.GROUPING);
    assertThat(plan.explain()).as("explain").contains("grouping sets");
  }

  @Test
  void cubeAboveTheCapIsRejected() {
    String sql = "select customer_id, qty, placed, count(*) as n from orders"
        + " group by cube (customer_id, qty, placed)";
    assertThatThrownBy(() -> new StreamTableCompiler().compile(new StreamTableDefinition("st",
        Map.of("max_grouping_sets", "4"), sql, 1, 1), db.connection()))
        .isInstanceOf(CompileException.class)
        .hasMessageContaining("8 grouping sets exceeds the limit of 4");
    assertThat(aggregate(db.compile(sql)).groupSets()).as("default cap 64").hasSize(8);
  }

  @Test
  void arrayAggOfAnArrayIsRejectedPlainly() {
    assertThatThrownBy(() -> db.compile("select array_agg(nums) as a from arrs"))
        .isInstanceOf(CompileException.class)
        .hasMessageContaining("array_agg(integer[]) is not supported");
  }

  @Test
  void stringAggOrderedByTextUnderANonCodePointCollationIsRejected() {
    assertThatThrownBy(() -> db.compile("select string_agg(code, ',' order by name) as s"
        + " from people"))
        .isInstanceOf(CompileException.class)
        .hasMessageContaining("en-x-icu");
    assertThat(db.compile("select string_agg(name, ',' order by code) as s from people").columns())
        .as("ordering by a C-collated column").hasSize(1);
  }

  /** TPC-H Q16 and Q13 without ORDER BY and LIKE (other slices): COUNT(DISTINCT), count of count. */
  @Test
  void tpchAggregationShapes() throws Exception {
    try (java.sql.Statement st = db.connection().createStatement()) {
      st.execute("create table if not exists part (p_partkey int primary key, p_brand text,"
          + " p_type text, p_size int);"
          + " create table if not exists partsupp (ps_partkey int, ps_suppkey int,"
          + " primary key (ps_partkey, ps_suppkey));"
          + " create table if not exists supplier (s_suppkey int primary key, s_comment text);"
          + " create table if not exists customer (c_custkey int primary key);"
          + " create table if not exists torders (o_orderkey int primary key, o_custkey int,"
          + " o_comment text)");
    }
    Plan q16 = db.compile("select p_brand, p_type, p_size, count(distinct ps_suppkey) as"
        + " supplier_cnt from partsupp, part where p_partkey = ps_partkey and p_brand <> 'Brand#45'"
        + " and p_size in (49, 14, 23, 45, 19, 3, 36, 9) and ps_suppkey not in (select s_suppkey"
        + " from supplier where s_comment = 'Complaints') group by p_brand, p_type, p_size");
    assertThat(aggregate(q16).aggs().get(0).distinct()).as("count(distinct ps_suppkey)").isTrue();
    Plan q13 = db.compile("select c_count, count(*) as custdist from (select c_custkey,"
        + " count(o_orderkey) from customer left outer join torders on c_custkey = o_custkey"
        + " and o_comment <> 'special requests' group by c_custkey) as c_orders (c_custkey,"
        + " c_count) group by c_count");
    assertThat(q13.operators().stream().filter(AggregateOp.class::isInstance).count())
        .as("count of count: two aggregates").isEqualTo(2);
  }

  @Test
  void aggregateOverAggregate() {
    Plan plan = db.compile("select n, count(*) as customers from (select customer_id,"
        + " count(*) as n from orders group by customer_id) t group by n");
    assertThat(plan.operators().stream().filter(AggregateOp.class::isInstance).count())
        .as("two aggregates").isEqualTo(2);
    assertThat(List.copyOf(plan.columns())).extracting(c -> c.type().pgType())
        .containsExactly("bigint", "bigint");
  }
}
