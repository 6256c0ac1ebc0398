package io.trickle.topology;

import static io.trickle.topology.Harness.row;
import static io.trickle.topology.Plans.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.compiler.expr.Expr;
import io.trickle.compiler.plan.Column;
import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.JoinOp;
import io.trickle.compiler.plan.MaterializeOp;
import io.trickle.compiler.plan.Op;
import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.ProjectOp;
import io.trickle.compiler.plan.RowKey;
import io.trickle.compiler.plan.SourceOp;
import io.trickle.compiler.plan.SqlPos;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Sources that read another stream table's output topic: upserts, tombstones and markers in,
 * Z-set changes and inherited epochs out.
 */
class UpstreamSourceTest {
  private static SourceOp upstream(int id, String st, RowKey key, Column... columns) {
    return new SourceOp(id, SqlPos.UNKNOWN, "public", st, List.of(columns), key, st);
  }

  private static Expr ref(Op in, int i) {
    return new Expr.ColumnRef(i, in.columns().get(i).type());
  }

  private static String marker(long seq, long lsn) {
    return "marker {\"seq\":" + seq + ",\"lsn\":" + lsn + ",\"ts_ms\":" + (1_700_000_000_000L + seq) + "}";
  }

  @Test
  void upsertsTombstonesAndMarkersOfAnUpstreamBecomeChangesAndEpochs() {
    SourceOp b = upstream(1, "b", RowKey.of(List.of(0)), col("id", Plans.INT), col("v", Plans.TEXT),
        col("d", ColumnType.of(ColumnType.Kind.DATE)), col("ts", ColumnType.of(ColumnType.Kind.TIMESTAMPTZ)),
        col("n", Plans.NUMERIC));
    Plan plan = new Plan("b_copy", "select * from b", new MaterializeOp(2, SqlPos.UNKNOWN, b, "b_copy"));
    String row1 = "{\"id\":1,\"v\":\"x\",\"d\":\"2024-01-31\",\"ts\":\"2024-01-31T10:15:30.123456Z\",\"n\":12.50}";
    String row1b = "{\"id\":1,\"v\":\"y\",\"d\":\"2024-01-31\",\"ts\":\"2024-01-31T10:15:30.123456Z\",\"n\":12.50}";
    try (Harness h = new Harness(plan, Map.of("b", "trickle.st.b.1234"))) {
      h.upstreamRow("b", "{\"id\":1}", row1);
      assertThat(h.drain()).as("nothing before the upstream's marker closes its epoch").isEmpty();
      h.upstreamMarker("b", 7, 900);
      assertThat(h.drain()).as("insert, values round-trip the output contract, the epoch is inherited")
          .containsExactly("{\"id\":1} -> " + row1, marker(7, 900));

      h.upstreamRow("b", "{\"id\":1}", row1b).upstreamMarker("b", 9, 950);
      assertThat(h.drain()).as("an upsert of a stored key is -old/+new")
          .containsExactly("{\"id\":1} -> " + row1b, marker(9, 950));

      h.upstreamRow("b", "{\"id\":1}", row1b).upstreamMarker("b", 11, 990);
      assertThat(h.drain()).as("a replayed upsert changes nothing").isEmpty();

      h.upstreamRow("b", "{\"id\":1}", null).upstreamMarker("b", 12, 1000);
      assertThat(h.drain()).as("a tombstone retracts the stored row")
          .containsExactly("{\"id\":1} -> null", marker(12, 1000));

      h.upstreamRow("b", "{\"id\":2}", null).upstreamMarker("b", 13, 1010);
      assertThat(h.drain()).as("a tombstone of an unknown key changes nothing").isEmpty();
    }
  }

  @Test
  void rowHashAndSingleRowUpstreamsExposeTheirTargetTablesHiddenColumns() {
    SourceOp c = upstream(1, "c", RowKey.of(List.of(0)), col("__trickle_key", Plans.TEXT), col("v", Plans.TEXT));
    ProjectOp cp = new ProjectOp(2, SqlPos.UNKNOWN, c, List.of(ref(c, 0), ref(c, 1)),
        List.of(col("k", Plans.TEXT), col("v", Plans.TEXT)), RowKey.of(List.of(0)));
    Plan rowHash = new Plan("c_copy", "select __trickle_key k, v from c",
        new MaterializeOp(3, SqlPos.UNKNOWN, cp, "c_copy"));
    try (Harness h = new Harness(rowHash, Map.of("c", "trickle.st.c.1"))) {
      h.upstreamRow("c", "{\"__trickle_key\":\"00ff:1\"}", "{\"v\":\"x\"}")
          .upstreamRow("c", "{\"__trickle_key\":\"00ff:2\"}", "{\"v\":\"x\"}").upstreamMarker("c", 1, 10);
      assertThat(h.drain()).as("each copy's key (hash and ordinal) is a row of its own")
          .containsExactly("{\"k\":\"00ff:1\"} -> {\"k\":\"00ff:1\",\"v\":\"x\"}",
              "{\"k\":\"00ff:2\"} -> {\"k\":\"00ff:2\",\"v\":\"x\"}", marker(1, 10));
      h.upstreamRow("c", "{\"__trickle_key\":\"00ff:2\"}", null).upstreamMarker("c", 2, 20);
      assertThat(h.drain()).containsExactly("{\"k\":\"00ff:2\"} -> null", marker(2, 20));
    }

    SourceOp s = upstream(1, "s", RowKey.of(List.of(0)), col("__trickle_key", Plans.INT),
        col("total", Plans.BIGINT));
    ProjectOp sp = new ProjectOp(2, SqlPos.UNKNOWN, s, List.of(ref(s, 0), ref(s, 1)),
        List.of(col("k", Plans.INT), col("total", Plans.BIGINT)), RowKey.of(List.of(0)));
    Plan singleRow = new Plan("s_copy", "select __trickle_key k, total from s",
        new MaterializeOp(3, SqlPos.UNKNOWN, sp, "s_copy"));
    try (Harness h = new Harness(singleRow, Map.of("s", "trickle.st.s.1"))) {
      h.upstreamRow("s", "{}", "{\"total\":5}").upstreamMarker("s", 1, 10);
      assertThat(h.drain()).as("a single-row table's key {} is the constant __trickle_key 1")
          .containsExactly("{\"k\":1} -> {\"k\":1,\"total\":5}", marker(1, 10));
      h.upstreamRow("s", "{}", "{\"total\":6}").upstreamMarker("s", 2, 20);
      assertThat(h.drain()).containsExactly("{\"k\":1} -> {\"k\":1,\"total\":6}", marker(2, 20));
    }
  }

  @Test
  void copiesOfARowHashUpstreamAreDuplicatesDownstream() {
    SourceOp c = upstream(1, "c", RowKey.of(List.of(0)), col("__trickle_key", Plans.TEXT), col("v", Plans.TEXT));
    ProjectOp vs = new ProjectOp(2, SqlPos.UNKNOWN, c, List.of(ref(c, 1)), List.of(col("v", Plans.TEXT)),
        RowKey.ROW_HASH);
    Plan plan = new Plan("vs", "select v from c", new MaterializeOp(3, SqlPos.UNKNOWN, vs, "vs"));
    String hash = io.trickle.topology.state.RowHash.hex(io.trickle.topology.state.RowHash.of(new Object[] {"x"}));
    try (Harness h = new Harness(plan, Map.of("c", "trickle.st.c.1"))) {
      h.upstreamRow("c", "{\"__trickle_key\":\"00ff:1\"}", "{\"v\":\"x\"}")
          .upstreamRow("c", "{\"__trickle_key\":\"00ff:2\"}", "{\"v\":\"x\"}").upstreamMarker("c", 1, 10);
      assertThat(h.drain()).as("two upstream copies of x are two copies of x downstream").containsExactly(
          "{\"__trickle_key\":\"" + hash + ":1\"} -> {\"v\":\"x\"}",
          "{\"__trickle_key\":\"" + hash + ":2\"} -> {\"v\":\"x\"}", marker(1, 10));
      h.upstreamRow("c", "{\"__trickle_key\":\"00ff:1\"}", null).upstreamMarker("c", 2, 20);
      assertThat(h.drain()).as("one copy removed upstream").containsExactly(
          "{\"__trickle_key\":\"" + hash + ":2\"} -> null", marker(2, 20));
    }
  }

  /** d = select b.id, b.v bv, c.v cv from b join c on b.id = c.id; b and c are stream tables. */
  private static Plan diamond() {
    SourceOp b = upstream(1, "b", RowKey.of(List.of(0)), col("id", Plans.INT), col("v", Plans.INT));
    SourceOp c = upstream(2, "c", RowKey.of(List.of(0)), col("id", Plans.INT), col("v", Plans.INT));
    JoinOp join = new JoinOp(3, SqlPos.UNKNOWN, b, c, List.of(0), List.of(0), null,
        Plans.concat(b.columns(), c.columns()), RowKey.of(List.of(0, 2)));
    ProjectOp p = new ProjectOp(4, SqlPos.UNKNOWN, join, List.of(ref(join, 0), ref(join, 1), ref(join, 3)),
        List.of(col("id", Plans.INT), col("bv", Plans.INT), col("cv", Plans.INT)), RowKey.of(List.of(0)));
    return new Plan("d", "select b.id, b.v bv, c.v cv from b join c on b.id = c.id",
        new MaterializeOp(5, SqlPos.UNKNOWN, p, "d"));
  }

  private static String d(int id, int bv, int cv) {
    return "{\"id\":" + id + "} -> {\"id\":" + id + ",\"bv\":" + bv + ",\"cv\":" + cv + "}";
  }

  @Test
  void epochsOfTwoUpstreamsAreReleasedOnlyWhenBothReachedThem() {
    try (Harness h = new Harness(diamond(), Map.of("b", "trickle.st.b.1", "c", "trickle.st.c.1"))) {
      h.upstreamRow("b", "{\"id\":1}", "{\"id\":1,\"v\":1}").upstreamMarker("b", 10, 100);
      assertThat(h.drain()).as("c has not closed any epoch: b's epoch 10 waits").isEmpty();
      h.upstreamRow("c", "{\"id\":1}", "{\"id\":1,\"v\":1}").upstreamMarker("c", 10, 100);
      assertThat(h.drain()).containsExactly(d(1, 1, 1), marker(10, 100));

      h.upstreamRow("b", "{\"id\":1}", "{\"id\":1,\"v\":2}").upstreamMarker("b", 20, 200);
      assertThat(h.drain()).as("b's half of source transaction 20 alone would be a glitch (bv 2, cv 1)")
          .isEmpty();
      h.upstreamRow("c", "{\"id\":1}", "{\"id\":1,\"v\":2}").upstreamMarker("c", 20, 200);
      assertThat(h.drain()).as("both halves of transaction 20 in one epoch")
          .containsExactly(d(1, 2, 2), marker(20, 200));

      h.upstreamRow("b", "{\"id\":1}", "{\"id\":1,\"v\":3}").upstreamMarker("b", 30, 300);
      h.upstreamRow("b", "{\"id\":1}", "{\"id\":1,\"v\":4}").upstreamMarker("b", 40, 400);
      h.upstreamRow("b", "{\"id\":2}", "{\"id\":2,\"v\":4}").upstreamMarker("b", 50, 500);
      assertThat(h.drain()).as("b ran ahead by three epochs").isEmpty();
      h.upstreamMarker("c", 40, 400);
      assertThat(h.drain()).as("c did not change in 30 or 40: b's epochs up to 40 are released in order")
          .containsExactly(d(1, 3, 2), marker(30, 300), d(1, 4, 2), marker(40, 400));
      h.upstreamRow("c", "{\"id\":2}", "{\"id\":2,\"v\":4}").upstreamRow("c", "{\"id\":1}", null)
          .upstreamMarker("c", 50, 500);
      assertThat(h.drain()).as("both inputs change in 50")
          .containsExactly("{\"id\":1} -> null", d(2, 4, 4), marker(50, 500));
    }
  }

  @Test
  void aCapturedTableAndAnUpstreamAlignOnTheChangesTopicOffset() {
    SourceOp orders = Plans.source(1, "orders", col("id", Plans.INT), col("customer_id", Plans.INT));
    SourceOp customers = upstream(2, "customers_st", RowKey.of(List.of(0)), col("cid", Plans.INT),
        col("name", Plans.TEXT));
    JoinOp join = new JoinOp(3, SqlPos.UNKNOWN, orders, customers, List.of(1), List.of(0), null,
        Plans.concat(orders.columns(), customers.columns()), RowKey.of(List.of(0, 2)));
    Plan plan = new Plan("oc", "select * from orders join customers_st on customer_id = cid",
        new MaterializeOp(4, SqlPos.UNKNOWN, join, "oc"));
    try (Harness h = new Harness(plan, Map.of("customers_st", "trickle.st.customers_st.1"))) {
      h.insert("orders", row("id", 1, "customer_id", 10));
      long lsn0 = h.lsn();
      h.heartbeat();
      assertThat(h.drain()).as("the upstream has not reached offset 0 of the changes topic").isEmpty();
      h.upstreamRow("customers_st", "{\"cid\":10}", "{\"cid\":10,\"name\":\"ann\"}")
          .upstreamMarker("customers_st", 0, lsn0);
      assertThat(h.drain()).as("epoch 0 of both inputs: the upstream's changes of the same transaction")
          .containsExactly("{\"id\":1,\"cid\":10} -> {\"id\":1,\"customer_id\":10,\"cid\":10,\"name\":\"ann\"}",
              marker(0, lsn0));
      h.upstreamMarker("customers_st", 1, lsn0);
      assertThat(h.drain()).as("epoch 1 (a heartbeat) changed nothing: its marker waits for the pending punctuator")
          .isEmpty();
    }
  }
}
