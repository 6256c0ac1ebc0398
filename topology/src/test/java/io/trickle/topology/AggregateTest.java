package io.trickle.topology;

import static io.trickle.topology.Harness.row;
import static io.trickle.topology.Plans.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.compiler.plan.AggCall;
import io.trickle.compiler.plan.AggCall.Kind;
import io.trickle.compiler.plan.AggregateOp;
import io.trickle.compiler.plan.MaterializeOp;
import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.SourceOp;
import io.trickle.compiler.plan.SqlPos;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GROUP BY and global aggregates: exact -old/+new sequences after materialization. */
class AggregateTest {
  private static final SourceOp ORDERS = Plans.source(1, "orders", col("id", Plans.INT),
      col("customer", Plans.TEXT), col("amount", Plans.INT), col("price", Plans.NUMERIC),
      col("score", Plans.DOUBLE));

  private static Plan grouped() {
    AggregateOp agg = new AggregateOp(2, SqlPos.UNKNOWN, ORDERS, List.of(1), List.of(
        new AggCall(Kind.COUNT_STAR, -1, Plans.BIGINT, "cnt"),
        new AggCall(Kind.COUNT, 3, Plans.BIGINT, "cnt_price"),
        new AggCall(Kind.SUM, 2, Plans.BIGINT, "sum_amount"),
        new AggCall(Kind.MIN, 2, Plans.INT, "min_amount"),
        new AggCall(Kind.MAX, 2, Plans.INT, "max_amount"),
        new AggCall(Kind.SUM, 3, Plans.NUMERIC, "sum_price"),
        new AggCall(Kind.AVG, 4, Plans.DOUBLE, "avg_score")),
        List.of(col("customer", Plans.TEXT), col("cnt", Plans.BIGINT), col("cnt_price", Plans.BIGINT),
            col("sum_amount", Plans.BIGINT), col("min_amount", Plans.INT), col("max_amount", Plans.INT),
            col("sum_price", Plans.NUMERIC), col("avg_score", Plans.DOUBLE)));
    return new Plan("by_customer", "select customer, count(*), ... group by customer",
        new MaterializeOp(3, SqlPos.UNKNOWN, agg, "by_customer"));
  }

  private static Plan global() {
    AggregateOp agg = new AggregateOp(2, SqlPos.UNKNOWN, ORDERS, List.of(), List.of(
        new AggCall(Kind.COUNT_STAR, -1, Plans.BIGINT, "cnt"),
        new AggCall(Kind.SUM, 2, Plans.BIGINT, "total"),
        new AggCall(Kind.MAX, 2, Plans.INT, "biggest")),
        List.of(col("cnt", Plans.BIGINT), col("total", Plans.BIGINT), col("biggest", Plans.INT)));
    return new Plan("totals", "select count(*), sum(amount), max(amount) from orders",
        new MaterializeOp(3, SqlPos.UNKNOWN, agg, "totals"));
  }

  private static String ann(String values) {
    return "{\"customer\":\"ann\"} -> {\"customer\":\"ann\"," + values + "}";
  }

  private static Object[] order(int id, String customer, Integer amount, String price, Double score) {
    return new Object[] {"id", id, "customer", customer, "amount", amount, "price", price, "score", score};
  }

  @Test
  void countSumMinMaxAvgUnderInsertUpdateDelete() {
    try (Harness h = new Harness(grouped())) {
      h.insert("orders", row(order(1, "ann", 10, "1.50", 2.0)));
      assertThat(h.drain()).first().isEqualTo(ann("\"cnt\":1,\"cnt_price\":1,\"sum_amount\":10,"
          + "\"min_amount\":10,\"max_amount\":10,\"sum_price\":1.50,\"avg_score\":2.0"));

      h.insert("orders", row(order(2, "ann", 5, null, 4.0)));
      assertThat(h.drain()).as("a NULL price counts for COUNT(*) only").first().isEqualTo(
          ann("\"cnt\":2,\"cnt_price\":1,\"sum_amount\":15,\"min_amount\":5,\"max_amount\":10,"
              + "\"sum_price\":1.50,\"avg_score\":3.0"));

      h.insert("orders", row(order(3, "ann", 20, "2.250", null)));
      assertThat(h.drain()).first().isEqualTo(ann("\"cnt\":3,\"cnt_price\":2,\"sum_amount\":35,"
          + "\"min_amount\":5,\"max_amount\":20,\"sum_price\":3.750,\"avg_score\":3.0"));

      h.delete("orders", row("id", 2));
      assertThat(h.drain()).as("deleting the current MIN").first().isEqualTo(
          ann("\"cnt\":2,\"cnt_price\":2,\"sum_amount\":30,\"min_amount\":10,\"max_amount\":20,"
              + "\"sum_price\":3.750,\"avg_score\":2.0"));

      h.delete("orders", row("id", 3));
      assertThat(h.drain()).as("deleting the current MAX; the sum's scale follows its inputs")
          .first().isEqualTo(ann("\"cnt\":1,\"cnt_price\":1,\"sum_amount\":10,\"min_amount\":10,"
              + "\"max_amount\":10,\"sum_price\":1.50,\"avg_score\":2.0"));

      h.update("orders", row(order(1, "ann", 7, "1.50", 2.0)));
      assertThat(h.drain()).as("update of the aggregated column").first().isEqualTo(
          ann("\"cnt\":1,\"cnt_price\":1,\"sum_amount\":7,\"min_amount\":7,\"max_amount\":7,"
              + "\"sum_price\":1.50,\"avg_score\":2.0"));

      h.update("orders", row(order(1, "bob", 7, "1.50", 2.0)));
      assertThat(h.drain()).as("a group-key move: old group gone, new group created")
          .containsExactly("{\"customer\":\"ann\"} -> null",
              "{\"customer\":\"bob\"} -> {\"customer\":\"bob\",\"cnt\":1,\"cnt_price\":1,"
                  + "\"sum_amount\":7,\"min_amount\":7,\"max_amount\":7,\"sum_price\":1.50,\"avg_score\":2.0}",
              "marker {\"seq\":6,\"lsn\":" + h.lsn() + ",\"ts_ms\":" + h.tsMs() + "}");

      h.delete("orders", row("id", 1));
      assertThat(h.drain()).as("the last row of a group").first().isEqualTo("{\"customer\":\"bob\"} -> null");
    }
  }

  @Test
  void duplicatesAndNullsInMinMax() {
    try (Harness h = new Harness(grouped())) {
      h.insert("orders", row(order(1, "ann", 3, null, null)))
          .insert("orders", row(order(2, "ann", 3, null, null)))
          .insert("orders", row(order(3, "ann", null, null, null)));
      h.drain();
      h.delete("orders", row("id", 1));
      assertThat(h.drain()).as("one of two equal minima deleted").first().isEqualTo(
          ann("\"cnt\":2,\"cnt_price\":0,\"sum_amount\":3,\"min_amount\":3,\"max_amount\":3,"
              + "\"sum_price\":null,\"avg_score\":null"));
      h.delete("orders", row("id", 2));
      assertThat(h.drain()).as("only NULL amounts left: SUM, MIN and MAX are NULL, COUNT is 0")
          .first().isEqualTo(ann("\"cnt\":1,\"cnt_price\":0,\"sum_amount\":null,\"min_amount\":null,"
              + "\"max_amount\":null,\"sum_price\":null,\"avg_score\":null"));
    }
  }

  @Test
  void groupsAreIndependent() {
    try (Harness h = new Harness(grouped())) {
      h.begin().insert("orders", row(order(1, "bob", 1, "1", 1.0)))
          .insert("orders", row(order(2, "ann", 2, "2", 2.0))).end();
      assertThat(h.drain()).hasSize(3);
      h.update("orders", row(order(2, "ann", 4, "2", 2.0)));
      assertThat(h.drain()).as("only ann's group changes").containsExactly(
          ann("\"cnt\":1,\"cnt_price\":1,\"sum_amount\":4,\"min_amount\":4,\"max_amount\":4,"
              + "\"sum_price\":2,\"avg_score\":2.0"),
          "marker {\"seq\":4,\"lsn\":" + h.lsn() + ",\"ts_ms\":" + h.tsMs() + "}");
    }
  }

  @Test
  void globalAggregateHasExactlyOneRowEvenOverEmptyInput() {
    try (Harness h = new Harness(global())) {
      h.heartbeat();
      assertThat(h.drain()).as("the initial row at the first marker").containsExactly(
          "{} -> {\"cnt\":0,\"total\":null,\"biggest\":null}",
          "marker {\"seq\":0,\"lsn\":0,\"ts_ms\":" + h.tsMs() + "}");
      h.heartbeat();
      h.advance(java.time.Duration.ofMillis(100));
      assertThat(h.drain()).as("emitted once only").containsExactly(
          "marker {\"seq\":1,\"lsn\":0,\"ts_ms\":" + h.tsMs() + "}");

      h.insert("orders", row(order(1, "ann", 5, null, null)));
      assertThat(h.drain()).first().isEqualTo("{} -> {\"cnt\":1,\"total\":5,\"biggest\":5}");
      h.insert("orders", row(order(2, "bob", 7, null, null)));
      assertThat(h.drain()).first().isEqualTo("{} -> {\"cnt\":2,\"total\":12,\"biggest\":7}");
      h.delete("orders", row("id", 2)).delete("orders", row("id", 1));
      assertThat(h.drain()).as("back to empty: the row stays, never a tombstone").containsExactly(
          "{} -> {\"cnt\":1,\"total\":5,\"biggest\":5}",
          "marker {\"seq\":4,\"lsn\":" + (h.lsn() - 8) + ",\"ts_ms\":" + (h.tsMs() - 1000) + "}",
          "{} -> {\"cnt\":0,\"total\":null,\"biggest\":null}",
          "marker {\"seq\":5,\"lsn\":" + h.lsn() + ",\"ts_ms\":" + h.tsMs() + "}");
    }
  }

  @Test
  void globalAggregateFirstChangeBeforeAnyMarker() {
    try (Harness h = new Harness(global())) {
      h.insert("orders", row(order(1, "ann", 5, null, null)));
      assertThat(h.drain()).as("no separate initial row when data comes first").containsExactly(
          "{} -> {\"cnt\":1,\"total\":5,\"biggest\":5}",
          "marker {\"seq\":0,\"lsn\":" + h.lsn() + ",\"ts_ms\":" + h.tsMs() + "}");
    }
  }

  @Test
  void avgOverIntegersIsNumericAndSumOfBigintPromotesPastLongRange() {
    SourceOp big = Plans.source(1, "big", col("id", Plans.INT), col("n", Plans.INT), col("b", Plans.BIGINT));
    AggregateOp agg = new AggregateOp(2, SqlPos.UNKNOWN, big, List.of(), List.of(
        new AggCall(Kind.AVG, 1, Plans.NUMERIC, "avg_n"),
        new AggCall(Kind.SUM, 2, Plans.NUMERIC, "sum_b")),
        List.of(col("avg_n", Plans.NUMERIC), col("sum_b", Plans.NUMERIC)));
    Plan plan = new Plan("big", "select avg(n), sum(b) from big", new MaterializeOp(3, SqlPos.UNKNOWN, agg, "big"));
    try (Harness h = new Harness(plan)) {
      h.insert("big", row("id", 1, "n", 1, "b", 9_000_000_000_000_000_000L));
      assertThat(h.drain()).first().isEqualTo("{} -> {\"avg_n\":1.00000000000000000000,\"sum_b\":9000000000000000000}");
      h.insert("big", row("id", 2, "n", 2, "b", 9_000_000_000_000_000_000L));
      assertThat(h.drain()).as("PostgreSQL's division scale; an exact sum beyond bigint").first()
          .isEqualTo("{} -> {\"avg_n\":1.5000000000000000,\"sum_b\":18000000000000000000}");
      h.delete("big", row("id", 1));
      assertThat(h.drain()).first().isEqualTo("{} -> {\"avg_n\":2.0000000000000000,\"sum_b\":9000000000000000000}");
    }
  }
}
