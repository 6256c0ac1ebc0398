package io.trickle.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trickle.compiler.plan.AggCall;
import io.trickle.compiler.plan.AggregateOp;
import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.SetReturningOp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Array columns, unnest, ARRAY[...], cardinality and ARRAY_AGG in the compiler. */
class ArrayCompileTest {
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
  void arrayColumnsPassThroughWithTheirElementType() {
    Plan plan = db.compile("select id, tags, nums, amounts from arrs");
    assertThat(plan.columns().get(1).type()).as("text[]")
        .isEqualTo(ColumnType.array(ColumnType.of(ColumnType.Kind.TEXT)));
    assertThat(plan.columns().get(2).type().element().kind()).as("int[] elements")
        .isEqualTo(ColumnType.Kind.INTEGER);
    assertThat(plan.columns().get(3).type().pgType()).as("pgType").isEqualTo("numeric[]");
  }

  @Test
  void unnestIsASetReturningOperator() {
    Plan plan = db.compile("select a.id, u.x from arrs a, unnest(a.nums) u(x)");
    SetReturningOp op = plan.operators().stream().filter(SetReturningOp.class::isInstance)
        .map(SetReturningOp.class::cast).findFirst().orElseThrow();
    assertThat(op.function().name()).as("function").isEqualTo("unnest");
    assertThat(op.key().unique()).as("unnest may repeat an element").isFalse();
    assertThat(plan.explain()).as("explain").contains("unnest<integer>");
  }

  @Test
  void unnestWithOrdinalityKeysByTheOrdinal() {
    Plan plan = db.compile("select a.id, u.x, u.n from arrs a cross join lateral"
        + " unnest(a.tags) with ordinality u(x, n)");
    SetReturningOp op = plan.operators().stream().filter(SetReturningOp.class::isInstance)
        .map(SetReturningOp.class::cast).findFirst().orElseThrow();
    assertThat(op.ordinality()).as("ordinality").isTrue();
    assertThat(op.key().unique()).as("source key ++ ordinal").isTrue();
  }

  @Test
  void constructorsCardinalityAndEquality() {
    Plan plan = db.compile("select id, array[id, 2] as a, cardinality(nums) as c,"
        + " nums = array[1, 2] as e from arrs");
    assertThat(plan.columns().get(1).type().pgType()).as("array[int, int]").isEqualTo("integer[]");
    assertThat(plan.columns().get(2).type().kind()).as("cardinality").isEqualTo(ColumnType.Kind.INTEGER);
  }

  @Test
  void groupingByAnArrayCompiles() {
    Plan plan = db.compile("select nums, count(*) as n from arrs group by nums");
    assertThat(plan.columns().get(0).type().kind()).as("group key").isEqualTo(ColumnType.Kind.ARRAY);
  }

  @Test
  void arrayAggKeepsItsOrder() {
    Plan plan = db.compile("select customer_id, array_agg(qty order by id desc) as qs from orders"
        + " group by customer_id");
    AggCall agg = plan.operators().stream().filter(AggregateOp.class::isInstance)
        .map(AggregateOp.class::cast).findFirst().orElseThrow().aggs().get(0);
    assertThat(agg.kind()).as("kind").isEqualTo(AggCall.Kind.ARRAY_AGG);
    assertThat(agg.orderBy()).as("order keys").hasSize(1);
    assertThat(agg.type().pgType()).as("array_agg(smallint)").isEqualTo("smallint[]");
  }

  @Test
  void orderingArraysIsRejected() {
    assertThatThrownBy(() -> db.compile("select id, nums from arrs order by nums limit 3"))
        .isInstanceOf(CompileException.class).hasMessageContaining("ordering by an array");
    assertThatThrownBy(() -> db.compile("select max(nums) as m from arrs"))
        .isInstanceOf(CompileException.class).hasMessageContaining("max");
    assertThatThrownBy(() -> db.compile("select id from arrs where nums < array[1]"))
        .isInstanceOf(CompileException.class).hasMessageContaining("comparing arrays");
  }
}
