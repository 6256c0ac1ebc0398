package io.trickle.topology;

import static io.trickle.topology.Harness.row;
import static io.trickle.topology.Plans.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.compiler.plan.Column;
import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.MaterializeOp;
import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.RowKey;
import io.trickle.compiler.plan.SourceOp;
import io.trickle.compiler.plan.SqlPos;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Source operator + materialize: the Debezium contract in, the output contract out. */
class SourceMaterializeTest {
  private static final SourceOp ORDERS = Plans.source(1, "orders", col("id", Plans.INT),
      col("customer", Plans.TEXT), col("amount", Plans.NUMERIC), col("note", Plans.TEXT));
  private static final Plan PLAN = new Plan("orders_copy", "select * from orders",
      new MaterializeOp(2, SqlPos.UNKNOWN, ORDERS, "orders_copy"));

  private Harness h;

  @BeforeEach
  void start() {
    h = new Harness(PLAN);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private String marker(long seq) {
    return "marker {\"seq\":" + seq + ",\"lsn\":" + h.lsn() + ",\"ts_ms\":" + h.tsMs() + "}";
  }

  @Test
  void insertUpdateDeleteEachCloseAnEpoch() {
    h.insert("orders", row("id", 1, "customer", "ann", "amount", "12.50", "note", "x"));
    assertThat(h.drain()).as("insert").containsExactly(
        "{\"id\":1} -> {\"id\":1,\"customer\":\"ann\",\"amount\":12.50,\"note\":\"x\"}", marker(0));

    h.update("orders", row("id", 1, "customer", "ann", "amount", "13.00", "note", "x"));
    assertThat(h.drain()).as("update of a non-key column").containsExactly(
        "{\"id\":1} -> {\"id\":1,\"customer\":\"ann\",\"amount\":13.00,\"note\":\"x\"}", marker(1));

    h.delete("orders", row("id", 1));
    assertThat(h.drain()).as("delete with only the key in before")
        .containsExactly("{\"id\":1} -> null", marker(2));
  }

  @Test
  void primaryKeyChangeIsDeleteThenCreate() {
    h.insert("orders", row("id", 1, "customer", "ann", "amount", "1", "note", null));
    h.drain();
    h.begin().delete("orders", row("id", 1))
        .insert("orders", row("id", 2, "customer", "ann", "amount", "1", "note", null)).end();
    assertThat(h.drain()).as("Debezium's delete + create for a key change, in one transaction")
        .containsExactly("{\"id\":1} -> null",
            "{\"id\":2} -> {\"id\":2,\"customer\":\"ann\",\"amount\":1,\"note\":null}", marker(4));

    h.update("orders", row("id", 2, "customer", "ann", "amount", "1", "note", null),
        row("id", 3, "customer", "ann", "amount", "1", "note", null));
    assertThat(h.drain()).as("a key change reported as one update with a full before image")
        .containsExactly("{\"id\":2} -> null",
            "{\"id\":3} -> {\"id\":3,\"customer\":\"ann\",\"amount\":1,\"note\":null}", marker(5));
  }

  @Test
  void transactionEmitsOnlyNetChangesAtItsEnd() {
    h.begin()
        .insert("orders", row("id", 1, "customer", "a", "amount", "1", "note", null))
        .update("orders", row("id", 1, "customer", "b", "amount", "1", "note", null))
        .insert("orders", row("id", 2, "customer", "c", "amount", "1", "note", null));
    assertThat(h.drain()).as("nothing before END").isEmpty();
    h.end();
    assertThat(h.drain()).containsExactly(
        "{\"id\":1} -> {\"id\":1,\"customer\":\"b\",\"amount\":1,\"note\":null}",
        "{\"id\":2} -> {\"id\":2,\"customer\":\"c\",\"amount\":1,\"note\":null}", marker(4));

    h.begin().update("orders", row("id", 1, "customer", "z", "amount", "1", "note", null))
        .update("orders", row("id", 1, "customer", "b", "amount", "1", "note", null)).end();
    assertThat(h.drain()).as("an epoch that nets out emits no data, and its marker waits")
        .isEmpty();
    h.advance(Duration.ofMillis(150));
    assertThat(h.drain()).as("the pending marker after the punctuator").containsExactly(marker(8));
    h.advance(Duration.ofMillis(150));
    assertThat(h.drain()).as("a pending marker is forwarded once").isEmpty();
  }

  @Test
  void changesDebeziumSendsAgainAfterARestartAreSkipped() {
    h.begin()
        .insert("orders", row("id", 1, "customer", "a", "amount", "1", "note", null))
        .update("orders", row("id", 1, "customer", "b", "amount", "2", "note", null))
        .insert("orders", row("id", 2, "customer", "c", "amount", "3", "note", null))
        .end();
    h.insert("orders", row("id", 3, "customer", "d", "amount", "4", "note", null));
    h.drain();
    // A worker that died before flushing its offsets resends both transactions; the first
    // resent record is the middle of the first transaction's data, then its END, then the rest.
    h.resend(4);
    assertThat(h.drain()).as("a replay changes no row").allMatch(line -> line.startsWith("marker"));
    assertThat(h.metricTotal("debezium-dispatch", TrickleMetrics.REPLAYED_CHANGES))
        .as("replayed changes counted").isEqualTo(3.0);
    h.begin().delete("orders", row("id", 2))
        .update("orders", row("id", 3, "customer", "d", "amount", "5", "note", null)).end();
    assertThat(h.drain()).as("the next transaction after the replay").containsExactly(
        "{\"id\":2} -> null",
        "{\"id\":3} -> {\"id\":3,\"customer\":\"d\",\"amount\":5,\"note\":null}", marker(13));
    h.begin().insertsInOneWalRecord("orders",
        row("id", 4, "customer", "e", "amount", "6", "note", null),
        row("id", 5, "customer", "f", "amount", "7", "note", null)).end();
    assertThat(h.drain()).as("two rows of one multi-row insert share an LSN and are both new")
        .hasSize(3);
    h.resend(3);
    assertThat(h.drain()).as("a replayed multi-row insert changes no row")
        .allMatch(line -> line.startsWith("marker"));
    assertThat(h.metricTotal("source-1", TrickleMetrics.CHANGES_PROCESSED))
        .as("every change applied once (an update is two)").isEqualTo(10.0);
    assertThat(h.metricTotal("debezium-dispatch", TrickleMetrics.REPLAYED_CHANGES))
        .as("replayed changes counted").isEqualTo(5.0);
  }

  @Test
  void truncateRetractsEveryRow() {
    h.insert("orders", row("id", 1, "customer", "a", "amount", "1", "note", null))
        .insert("orders", row("id", 2, "customer", "b", "amount", "2", "note", null));
    h.drain();
    h.truncate("orders");
    assertThat(h.drain()).containsExactly("{\"id\":1} -> null", "{\"id\":2} -> null", marker(2));
    h.insert("orders", row("id", 1, "customer", "a", "amount", "1", "note", null));
    assertThat(h.drain()).as("a row inserted again after TRUNCATE").containsExactly(
        "{\"id\":1} -> {\"id\":1,\"customer\":\"a\",\"amount\":1,\"note\":null}", marker(3));
  }

  @Test
  void unchangedToastColumnIsFilledFromTheStoredRow() {
    h.insert("orders", row("id", 1, "customer", "a", "amount", "1", "note", "a very long text"));
    h.drain();
    h.update("orders", row("id", 1, "customer", "a", "amount", "2", "note", "__debezium_unavailable_value"));
    assertThat(h.drain()).containsExactly(
        "{\"id\":1} -> {\"id\":1,\"customer\":\"a\",\"amount\":2,\"note\":\"a very long text\"}", marker(1));
  }

  @Test
  void snapshotClosesItsEpochOnlyAtTheLastRecordAndReplaysAreIdempotent() {
    h.snapshot("orders", row("id", 1, "customer", "a", "amount", "1", "note", null), "first")
        .snapshot("orders", row("id", 2, "customer", "b", "amount", "2", "note", null), "true")
        .snapshot("orders", row("id", 3, "customer", "c", "amount", "3", "note", null), "last_in_data_collection");
    assertThat(h.drain()).as("no marker inside a snapshot").isEmpty();
    h.snapshot("orders", row("id", 4, "customer", "d", "amount", "4", "note", null), "last");
    assertThat(h.drain()).containsExactly(
        "{\"id\":1} -> {\"id\":1,\"customer\":\"a\",\"amount\":1,\"note\":null}",
        "{\"id\":2} -> {\"id\":2,\"customer\":\"b\",\"amount\":2,\"note\":null}",
        "{\"id\":3} -> {\"id\":3,\"customer\":\"c\",\"amount\":3,\"note\":null}",
        "{\"id\":4} -> {\"id\":4,\"customer\":\"d\",\"amount\":4,\"note\":null}", marker(3));

    // The connector re-snapshots: unchanged rows produce no output, a changed one an upsert.
    h.snapshot("orders", row("id", 1, "customer", "a", "amount", "1", "note", null), "first")
        .snapshot("orders", row("id", 2, "customer", "B", "amount", "2", "note", null), "true")
        .snapshot("orders", row("id", 3, "customer", "c", "amount", "3", "note", null), "last");
    assertThat(h.drain()).containsExactly(
        "{\"id\":2} -> {\"id\":2,\"customer\":\"B\",\"amount\":2,\"note\":null}", marker(6));
  }

  @Test
  void heartbeatsAndOtherTablesAdvanceTheMarkerWithoutData() {
    h.insert("customers", row("id", 1, "name", "ann"));
    h.heartbeat();
    assertThat(h.drain()).as("no data, marker pending").isEmpty();
    h.advance(Duration.ofMillis(100));
    assertThat(h.drain()).as("only the latest pending marker; its lsn is the last data record's")
        .containsExactly("marker {\"seq\":1,\"lsn\":108,\"ts_ms\":" + h.tsMs() + "}");
  }

  @Test
  void poisonRecordsAreSkippedAndCounted() {
    h.raw("this is not json").raw("{\"unexpected\":true}")
        .insert("orders", row("id", 1, "customer", "a", "amount", "1", "note", null));
    assertThat(h.drain()).as("the good record after the poison ones").containsExactly(
        "{\"id\":1} -> {\"id\":1,\"customer\":\"a\",\"amount\":1,\"note\":null}", marker(2));
    assertThat(h.metricTotal("debezium-dispatch", TrickleMetrics.POISON_RECORDS))
        .as("poison records counted").isEqualTo(2.0);
    assertThat(h.metricTotal("source-1", TrickleMetrics.CHANGES_PROCESSED))
        .as("changes emitted by the source").isEqualTo(1.0);
  }

  @Test
  void everyProcessorAndStoreIsNamedFromItsOperator() {
    TopologyDescription d = TopologyFactory.buildStreamTable(PLAN, t -> "chg." + t, Map.of(), "out")
        .describe();
    assertThat(d.subtopologies()).as("one sub-topology, one task").hasSize(1);
    List<String> nodes = d.subtopologies().iterator().next().nodes().stream()
        .map(TopologyDescription.Node::name).sorted().toList();
    assertThat(nodes).containsExactly("changes-public.orders", "changes-public.orders-read",
        "materialize-2", "materialize-2-sink", "source-1");
    assertThat(stores(d)).as("no copy of the source table: the capture stage holds it")
        .containsExactly("materialize-2-rows");
  }

  @Test
  void theCaptureStageIsNamedFromItsTables() {
    TopologyDescription d = io.trickle.topology.capture.CaptureTopology.build("in",
        io.trickle.topology.capture.CapturedTable.of(List.of(PLAN)), t -> "chg." + t.qualifiedName())
        .describe();
    assertThat(d.subtopologies()).hasSize(1);
    List<String> nodes = d.subtopologies().iterator().next().nodes().stream()
        .map(TopologyDescription.Node::name).sorted().toList();
    assertThat(nodes).containsExactly("capture-public.orders", "capture-public.orders-encode",
        "capture-public.orders-sink", "debezium-dispatch", "debezium-source");
    assertThat(stores(d)).containsExactly("capture-public.orders-rows", "debezium-dispatch-state");
  }

  private static List<String> stores(TopologyDescription d) {
    return d.subtopologies().iterator().next().nodes().stream()
        .filter(n -> n instanceof TopologyDescription.Processor)
        .flatMap(n -> ((TopologyDescription.Processor) n).stores().stream()).sorted().toList();
  }

  @Test
  void columnTypesFollowTheDebeziumAndOutputContracts() {
    List<Column> cols = List.of(col("id", Plans.BIGINT),
        col("flag", ColumnType.of(ColumnType.Kind.BOOLEAN)),
        col("code", new ColumnType(ColumnType.Kind.TEXT, 5, -1, "character(5)")),
        col("price", ColumnType.numeric(10, 2)),
        col("ratio", Plans.DOUBLE),
        col("day", ColumnType.of(ColumnType.Kind.DATE)),
        col("at", ColumnType.of(ColumnType.Kind.TIME)),
        col("local_ts", ColumnType.of(ColumnType.Kind.TIMESTAMP)),
        col("ts", ColumnType.of(ColumnType.Kind.TIMESTAMPTZ)));
    SourceOp typed = new SourceOp(1, SqlPos.UNKNOWN, "public", "typed", cols, RowKey.of(List.of(0)));
    Plan plan = new Plan("typed", "select * from typed", new MaterializeOp(2, SqlPos.UNKNOWN, typed, "typed"));
    try (Harness t = new Harness(plan)) {
      t.insert("typed", row("id", 9_000_000_000L, "flag", true, "code", "ab   ", "price", "-0.50",
          "ratio", "NaN", "day", 19753, "at", 36930123456L, "local_ts", 1706696130123456L,
          "ts", "2024-01-31T10:15:30.123456Z"));
      assertThat(t.drain()).first().isEqualTo("{\"id\":9000000000} -> {\"id\":9000000000,\"flag\":true,"
          + "\"code\":\"ab\",\"price\":-0.50,\"ratio\":\"NaN\",\"day\":\"2024-01-31\","
          + "\"at\":\"10:15:30.123456\",\"local_ts\":\"2024-01-31T10:15:30.123456\","
          + "\"ts\":\"2024-01-31T10:15:30.123456Z\"}");
    }
  }

  @Test
  void aValueThatDoesNotFitItsColumnIsReportedAndSkipped() {
    h.insert("orders", row("id", 1, "customer", "a", "amount", "not a number", "note", null))
        .insert("orders", row("id", 2, "customer", "b", "amount", "2", "note", null));
    List<String> out = h.drain();
    assertThat(out).hasSize(3);
    assertThat(out.get(0)).as("an error record for the bad event").startsWith("error ")
        .contains("\"sqlstate\":\"22P02\"", "\"operator\":\"source-1\"");
    assertThat(out.get(1)).isEqualTo("{\"id\":2} -> {\"id\":2,\"customer\":\"b\",\"amount\":2,\"note\":null}");
    assertThat(h.metricTotal("source-1", TrickleMetrics.POISON_RECORDS)).isEqualTo(1.0);
  }

  @Test
  void rowsWithoutAUniqueKeyAreOneRecordPerCopyKeyedByHashAndOrdinal() {
    io.trickle.compiler.plan.ProjectOp customers = new io.trickle.compiler.plan.ProjectOp(2, SqlPos.UNKNOWN, ORDERS,
        List.of(new io.trickle.compiler.expr.Expr.ColumnRef(1, Plans.TEXT)), List.of(col("customer", Plans.TEXT)),
        RowKey.ROW_HASH);
    Plan plan = new Plan("customers", "select customer from orders",
        new MaterializeOp(3, SqlPos.UNKNOWN, customers, "customers"));
    String hash = io.trickle.topology.state.RowHash.hex(io.trickle.topology.state.RowHash.of(new Object[] {"ann"}));
    String key = "{\"__trickle_key\":\"" + hash + ":1\"}";
    String key2 = "{\"__trickle_key\":\"" + hash + ":2\"}";
    try (Harness t = new Harness(plan)) {
      t.insert("orders", row("id", 1, "customer", "ann", "amount", "1", "note", null));
      assertThat(t.drain()).first().isEqualTo(key + " -> {\"customer\":\"ann\"}");
      t.insert("orders", row("id", 2, "customer", "ann", "amount", "1", "note", null));
      assertThat(t.drain()).first().as("a second copy is a second record").isEqualTo(key2 + " -> {\"customer\":\"ann\"}");
      t.delete("orders", row("id", 1));
      assertThat(t.drain()).first().as("one copy fewer: the last copy's tombstone").isEqualTo(key2 + " -> null");
      t.update("orders", row("id", 2, "customer", "bob", "amount", "1", "note", null));
      assertThat(t.drain()).as("ann gone, bob appears").contains(key + " -> null");
    }
  }
}
