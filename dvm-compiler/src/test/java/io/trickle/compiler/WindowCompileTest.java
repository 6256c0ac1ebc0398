package io.trickle.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trickle.compiler.plan.Op;
import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.WindowCall;
import io.trickle.compiler.plan.WindowOp;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Window functions in the compiler: the operators they become, and what is rejected. */
class WindowCompileTest {
  private static CompilerTestDatabase db;

  @BeforeAll
  static void start() throws Exception {
    db = new CompilerTestDatabase();
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
  }

  private static List<WindowOp> windows(Plan plan) {
    return plan.operators().stream().filter(WindowOp.class::isInstance).map(WindowOp.class::cast)
        .toList();
  }

  @Test
  void oneWindowOperatorPerSpecificationShownInExplain() {
    Plan plan = db.compile("select id, row_number() over (partition by customer_id order by id) as r,"
        + " sum(amount) over (partition by customer_id order by placed desc) as s,"
        + " lag(qty, 2, 0) over (order by id) as l from orders");
    List<WindowOp> ops = windows(plan);
    assertThat(ops).as("window operators of%n%s", plan.explain()).hasSize(3);
    assertThat(plan.explain()).as("explain").contains("window-").contains("ROW_NUMBER()")
        .contains("LAG($3, 2, CAST[0])").contains("RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW");
    assertThat(ops.get(0).key().unique()).as("the source key passes through a window").isTrue();
  }

  @Test
  void avgOverAWindowIsOneCallWithPostgresType() {
    Plan plan = db.compile("select id, avg(qty) over (partition by customer_id) as a from orders");
    WindowCall call = windows(plan).get(0).calls().get(0);
    assertThat(call.kind()).as("AVG is computed natively, not as SUM/COUNT").isEqualTo(WindowCall.Kind.AVG);
    assertThat(call.type().pgType()).as("avg(smallint) type").isEqualTo("numeric");
  }

  @Test
  void framesAreKept() {
    Plan plan = db.compile("select id, sum(qty) over (order by id rows between 2 preceding and"
        + " 1 following) as s from orders");
    assertThat(windows(plan).get(0).calls().get(0).frame().toString()).as("frame")
        .isEqualTo("ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING");
  }

  @Test
  void textOrderUnderACodePointCollationCompiles() {
    Op root = db.compile("select id, rank() over (order by code) as r from people").root();
    assertThat(root).as("plan").isNotNull();
  }

  @Test
  void textOrderUnderIcuIsRejected() {
    assertThatThrownBy(() -> db.compile("select id, rank() over (order by name) as r from people"))
        .isInstanceOf(CompileException.class).hasMessageContaining("ORDER BY in a window")
        .hasMessageContaining("en-x-icu");
    assertThatThrownBy(() -> db.compile("select id, max(name) over () as m from people"))
        .isInstanceOf(CompileException.class).hasMessageContaining("en-x-icu");
  }

  @Test
  void rangeWithAnOffsetCarriesTheOffsetInTheOrderByType() {
    assertThat(db.compile("select id, sum(qty) over (order by id range between 2 preceding and"
        + " current row) as s from orders").explain())
        .contains("RANGE BETWEEN '2' PRECEDING AND CURRENT ROW");
    assertThat(db.compile("select id, count(*) over (order by placed range between interval '7'"
        + " day preceding and interval '1' month following) as c from orders").explain())
        .contains("RANGE BETWEEN '7 days' PRECEDING AND '1 mon' FOLLOWING");
  }

  @Test
  void rangeWithAnOffsetOverTimestamptzIsRejected() {
    assertThatThrownBy(() -> db.compile("select id, count(*) over (order by tstz range between"
        + " interval '1' day preceding and current row) as c from orders"))
        .isInstanceOf(CompileException.class).hasMessageContaining("RANGE frame with an offset");
  }

  @Test
  void aFrameAddedToANamedWindowIsRejected() {
    assertThatThrownBy(() -> db.compile("select id, first_value(id) over (w rows between 1"
        + " preceding and 1 following) as f from orders window w as (order by id)"))
        .isInstanceOf(CompileException.class).hasMessageContaining("named window w");
  }

  @Test
  void aNonConstantOffsetIsRejected() {
    assertThatThrownBy(() -> db.compile("select id, lag(id, qty) over (order by id) as l from orders"))
        .isInstanceOf(CompileException.class).hasMessageContaining("must be a constant");
  }
}
