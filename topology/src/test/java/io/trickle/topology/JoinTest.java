package io.trickle.topology;

import static io.trickle.topology.Harness.row;
import static io.trickle.topology.Plans.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.compiler.plan.JoinOp;
import io.trickle.compiler.plan.MaterializeOp;
import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.RowKey;
import io.trickle.compiler.plan.SourceOp;
import io.trickle.compiler.plan.SqlPos;
import java.util.List;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/** Inner equi-joins: both sides change, NULL keys, and a three-table chain. */
class JoinTest {
  static final SourceOp ORDERS = Plans.source(1, "orders", col("id", Plans.INT),
      col("customer_id", Plans.INT), col("amount", Plans.INT));
  static final SourceOp CUSTOMERS = Plans.source(2, "customers", col("cid", Plans.INT),
      col("name", Plans.TEXT), col("region_id", Plans.INT));
  static final SourceOp REGIONS = Plans.source(4, "regions", col("rid", Plans.INT),
      col("region", Plans.TEXT));

  static JoinOp ordersCustomers() {
    return new JoinOp(3, SqlPos.UNKNOWN, ORDERS, CUSTOMERS, List.of(1), List.of(0), null,
        Plans.concat(ORDERS.columns(), CUSTOMERS.columns()), RowKey.of(List.of(0, 3)));
  }

  static Plan twoTables() {
    return new Plan("oc", "select * from orders join customers on customer_id = cid",
        new MaterializeOp(9, SqlPos.UNKNOWN, ordersCustomers(), "oc"));
  }

  static Plan threeTables() {
    JoinOp oc = ordersCustomers();
    JoinOp ocr = new JoinOp(5, SqlPos.UNKNOWN, oc, REGIONS, List.of(5), List.of(0), null,
        Plans.concat(oc.columns(), REGIONS.columns()), RowKey.of(List.of(0, 3, 6)));
    return new Plan("ocr", "select * from orders join customers ... join regions ...",
        new MaterializeOp(9, SqlPos.UNKNOWN, ocr, "ocr"));
  }

  private static String oc(int id, int cid, int amount, String name, int region) {
    return "{\"id\":" + id + ",\"cid\":" + cid + "} -> {\"id\":" + id + ",\"customer_id\":" + cid
        + ",\"amount\":" + amount + ",\"cid\":" + cid + ",\"name\":\"" + name + "\",\"region_id\":" + region + "}";
  }

  @Test
  void changesOnEitherSideJoinAgainstTheOtherSidesState() {
    try (Harness h = new Harness(twoTables())) {
      h.insert("orders", row("id", 1, "customer_id", 10, "amount", 5));
      assertThat(h.drain()).as("no customer yet: only the marker is pending").isEmpty();

      h.insert("customers", row("cid", 10, "name", "ann", "region_id", 1));
      assertThat(h.drain()).first().isEqualTo(oc(1, 10, 5, "ann", 1));

      h.insert("orders", row("id", 2, "customer_id", 10, "amount", 7));
      assertThat(h.drain()).first().isEqualTo(oc(2, 10, 7, "ann", 1));

      h.update("customers", row("cid", 10, "name", "anne", "region_id", 1));
      assertThat(h.drain()).as("a right-side update rewrites every matching row").containsExactly(
          oc(1, 10, 5, "anne", 1), oc(2, 10, 7, "anne", 1),
          "marker {\"seq\":3,\"lsn\":" + h.lsn() + ",\"ts_ms\":" + h.tsMs() + "}");

      h.update("orders", row("id", 2, "customer_id", 11, "amount", 7));
      assertThat(h.drain()).as("join key moves to a customer that does not exist")
          .first().isEqualTo("{\"id\":2,\"cid\":10} -> null");

      h.delete("customers", row("cid", 10));
      assertThat(h.drain()).first().isEqualTo("{\"id\":1,\"cid\":10} -> null");
    }
  }

  @Test
  void nullJoinKeysNeverMatch() {
    SourceOp left = Plans.source(1, "l", col("id", Plans.INT), col("k", Plans.INT));
    SourceOp right = Plans.source(2, "r", col("rid", Plans.INT), col("rk", Plans.INT));
    JoinOp join = new JoinOp(3, SqlPos.UNKNOWN, left, right, List.of(1), List.of(1), null,
        Plans.concat(left.columns(), right.columns()), RowKey.of(List.of(0, 2)));
    try (Harness h = new Harness(new Plan("lr", "…", new MaterializeOp(4, SqlPos.UNKNOWN, join, "lr")))) {
      h.insert("l", row("id", 1, "k", null)).insert("r", row("rid", 1, "rk", null));
      h.insert("l", row("id", 2, "k", 3)).insert("r", row("rid", 2, "rk", 3));
      assertThat(h.drain()).filteredOn(s -> !s.startsWith("marker")).containsExactly(
          "{\"id\":2,\"rid\":2} -> {\"id\":2,\"k\":3,\"rid\":2,\"rk\":3}");
      h.delete("l", row("id", 1)).delete("r", row("rid", 1));
      assertThat(h.drain()).as("retracting NULL-keyed rows emits nothing").filteredOn(s -> !s.startsWith("marker"))
          .isEmpty();
    }
  }

  @Test
  void threeTableJoin() {
    try (Harness h = new Harness(threeTables())) {
      h.begin().insert("regions", row("rid", 1, "region", "north"))
          .insert("customers", row("cid", 10, "name", "ann", "region_id", 1))
          .insert("orders", row("id", 1, "customer_id", 10, "amount", 5)).end();
      String row1 = "{\"id\":1,\"cid\":10,\"rid\":1} -> {\"id\":1,\"customer_id\":10,\"amount\":5,"
          + "\"cid\":10,\"name\":\"ann\",\"region_id\":1,\"rid\":1,\"region\":\"north\"}";
      assertThat(h.drain()).containsExactly(row1,
          "marker {\"seq\":4,\"lsn\":" + h.lsn() + ",\"ts_ms\":" + h.tsMs() + "}");

      h.insert("regions", row("rid", 2, "region", "south"));
      h.update("customers", row("cid", 10, "name", "ann", "region_id", 2));
      assertThat(h.drain()).as("the middle table moves the row to another region").containsExactly(
          "{\"id\":1,\"cid\":10,\"rid\":1} -> null",
          "{\"id\":1,\"cid\":10,\"rid\":2} -> {\"id\":1,\"customer_id\":10,\"amount\":5,"
              + "\"cid\":10,\"name\":\"ann\",\"region_id\":2,\"rid\":2,\"region\":\"south\"}",
          "marker {\"seq\":6,\"lsn\":" + h.lsn() + ",\"ts_ms\":" + h.tsMs() + "}");

      h.update("regions", row("rid", 2, "region", "South"));
      assertThat(h.drain()).first().asString().endsWith("\"region\":\"South\"}");
      h.truncate("orders");
      assertThat(h.drain()).first().isEqualTo("{\"id\":1,\"cid\":10,\"rid\":2} -> null");
    }
  }

  @Test
  void joinProcessorsShareDeterministicallyNamedStores() {
    TopologyDescription d = TopologyFactory.buildStreamTable(threeTables(), t -> "chg." + t,
        java.util.Map.of(), "out").describe();
    List<String> joinStores = d.subtopologies().iterator().next().nodes().stream()
        .filter(n -> n.name().startsWith("join-"))
        .map(n -> n.name() + ":" + ((TopologyDescription.Processor) n).stores().stream().sorted().toList())
        .sorted().toList();
    assertThat(joinStores).containsExactly(
        "join-3-left:[join-3-left, join-3-right]", "join-3-right:[join-3-left, join-3-right]",
        "join-5-left:[join-5-left, join-5-right]", "join-5-right:[join-5-left, join-5-right]");
  }

  @Test
  void selfJoinFeedsBothSourceOperatorsOfTheTable() {
    SourceOp emp = Plans.source(1, "emp", col("id", Plans.INT), col("name", Plans.TEXT), col("boss", Plans.INT));
    SourceOp mgr = Plans.source(2, "emp", col("id", Plans.INT), col("name", Plans.TEXT), col("boss", Plans.INT));
    // The join renames the second copy's columns, as the compiler would, so output names are unique.
    JoinOp join = new JoinOp(3, SqlPos.UNKNOWN, emp, mgr, List.of(2), List.of(0), null,
        Plans.concat(emp.columns(), List.of(col("mid", Plans.INT), col("mname", Plans.TEXT), col("mboss", Plans.INT))),
        RowKey.of(List.of(0, 3)));
    Plan plan = new Plan("boss", "select * from emp e join emp m on e.boss = m.id",
        new MaterializeOp(4, SqlPos.UNKNOWN, join, "boss"));
    try (Harness h = new Harness(plan)) {
      h.begin().insert("emp", row("id", 1, "name", "ceo", "boss", null))
          .insert("emp", row("id", 2, "name", "dev", "boss", 1)).end();
      assertThat(h.drain()).first().isEqualTo("{\"id\":2,\"mid\":1} -> {\"id\":2,\"name\":\"dev\","
          + "\"boss\":1,\"mid\":1,\"mname\":\"ceo\",\"mboss\":null}");
      h.update("emp", row("id", 1, "name", "boss", "boss", null));
      assertThat(h.drain()).as("one update reaches both copies of the table").first()
          .isEqualTo("{\"id\":2,\"mid\":1} -> {\"id\":2,\"name\":\"dev\","
          + "\"boss\":1,\"mid\":1,\"mname\":\"boss\",\"mboss\":null}");
    }
  }
}
