package io.trickle.topology;

import static io.trickle.topology.Plans.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trickle.compiler.plan.MaterializeOp;
import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.RowKey;
import io.trickle.compiler.plan.SourceOp;
import io.trickle.compiler.plan.SqlPos;
import io.trickle.topology.capture.CaptureTopology;
import io.trickle.topology.capture.CapturedTable;
import io.trickle.topology.processor.Msg;
import io.trickle.topology.processor.MsgCodec;
import io.trickle.topology.state.KeyCodec;
import io.trickle.topology.state.RowHash;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The capture stage on its own, and stream tables reading its change topics in drivers of their
 * own, as the runtime runs them: each source change is parsed and stored once, whatever number
 * of stream tables read its table.
 */
class CaptureTest {
  private static final String CHANGES = "trickle.src.db.changes";
  private static final SourceOp ORDERS = Plans.source(1, "orders", col("id", Plans.INT),
      col("customer", Plans.TEXT), col("amount", Plans.NUMERIC));
  private static final SourceOp CUSTOMERS = Plans.source(1, "customers", col("name", Plans.TEXT));
  private static final SourceOp NOTES = new SourceOp(1, SqlPos.UNKNOWN, "public", "notes",
      List.of(col("text", Plans.TEXT)), RowKey.ROW_HASH);
  private static final Plan COPY = new Plan("orders_copy", "select * from orders",
      new MaterializeOp(2, SqlPos.UNKNOWN, ORDERS, "orders_copy"));
  private static final Plan COPY2 = new Plan("orders_copy2", "select * from orders",
      new MaterializeOp(2, SqlPos.UNKNOWN, ORDERS, "orders_copy2"));
  private static final Plan NAMES = new Plan("names", "select * from customers",
      new MaterializeOp(2, SqlPos.UNKNOWN, CUSTOMERS, "names"));

  private final List<TopologyTestDriver> drivers = new ArrayList<>();
  private final List<Path> dirs = new ArrayList<>();
  private long lsn = 100;

  @AfterEach
  void close() throws IOException {
    drivers.forEach(TopologyTestDriver::close);
    for (Path d : dirs) {
      try (Stream<Path> files = Files.walk(d)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static String topic(String table) {
    return "trickle.chg.db." + table;
  }

  private TopologyTestDriver driver(Topology topology) throws IOException {
    Path dir = Files.createTempDirectory("trickle-capture-test");
    dirs.add(dir);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "trickle-capture-test-" + drivers.size());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
    TopologyTestDriver d = new TopologyTestDriver(topology, props);
    drivers.add(d);
    return d;
  }

  /** A Debezium data change outside a transaction (so it closes an epoch). */
  private byte[] change(String table, String op, Map<String, Object> before, Map<String, Object> after) {
    lsn += 8;
    ObjectNode v = Harness.JSON.createObjectNode();
    v.set("before", before == null ? Harness.JSON.nullNode() : Harness.JSON.valueToTree(before));
    v.set("after", after == null ? Harness.JSON.nullNode() : Harness.JSON.valueToTree(after));
    v.putObject("source").put("schema", "public").put("table", table).put("lsn", lsn)
        .put("ts_ms", 1_700_000_000_000L + lsn).put("snapshot", "false")
        .put("sequence", "[\"" + (lsn - 4) + "\",\"" + lsn + "\"]");
    v.putNull("transaction");
    v.put("op", op);
    return v.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static List<TestRecord<byte[], byte[]>> read(TopologyTestDriver d, String topic) {
    return d.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer())
        .readRecordsToList();
  }

  @Test
  void oneTableReadByTwoStreamTablesIsParsedAndStoredOnce() throws IOException {
    List<CapturedTable> tables = CapturedTable.of(List.of(COPY, COPY2, NAMES));
    assertThat(tables).as("orders captured once for two stream tables").extracting(CapturedTable::qualifiedName)
        .containsExactly("public.orders", "public.customers");
    TopologyTestDriver capture = driver(CaptureTopology.build(CHANGES, tables, t -> topic(t.qualifiedName())));
    var in = capture.createInputTopic(CHANGES, new ByteArraySerializer(), new ByteArraySerializer());
    in.pipeInput(change("orders", "c", null, Harness.row("id", 1, "customer", "a", "amount", "1.5")));
    in.pipeInput(change("orders", "c", null, Harness.row("id", 2, "customer", "b", "amount", "2")));
    in.pipeInput(change("customers", "c", null, Harness.row("name", "ann")));
    in.pipeInput(change("orders", "u", null, Harness.row("id", 1, "customer", "a", "amount", "3")));
    in.pipeInput(change("orders", "d", Harness.row("id", 2), null));
    List<TestRecord<byte[], byte[]>> orders = read(capture, topic("public.orders"));
    List<TestRecord<byte[], byte[]>> customers = read(capture, topic("public.customers"));

    List<Object> ordersMsgs = new ArrayList<>();
    for (TestRecord<byte[], byte[]> r : orders) {
      Msg m = MsgCodec.decode(r.value());
      ordersMsgs.add(m instanceof Msg.Change c ? c.toString() : m);
      if (m instanceof Msg.Change c) {
        assertThat(r.key()).as("a change is keyed by its table's primary key")
            .isEqualTo(KeyCodec.encode(c.row(), new int[] {0}));
      } else {
        assertThat(r.key()).as("a marker has no key").isNull();
      }
    }
    assertThat(ordersMsgs).containsExactly(
        "+1 [1, a, 1.5]", new Msg.Marker(0, 108, 1_700_000_000_108L),
        "+1 [2, b, 2]", new Msg.Marker(1, 116, 1_700_000_000_116L),
        new Msg.Marker(2, 124, 1_700_000_000_124L),
        "-1 [1, a, 1.5]", "+1 [1, a, 3]", new Msg.Marker(3, 132, 1_700_000_000_132L),
        "-1 [2, b, 2]", new Msg.Marker(4, 140, 1_700_000_000_140L));
    assertThat(markers(customers)).as("every epoch reaches every table's topic, with the same seq")
        .isEqualTo(markers(orders));

    KeyValueStore<Bytes, byte[]> rows = capture.getKeyValueStore("capture-public.orders-rows");
    assertThat(count(rows)).as("the capture holds each live row of orders once").isEqualTo(1);
    assertThat(capture.getAllStateStores().keySet()).containsExactlyInAnyOrder(
        "debezium-dispatch-state", "capture-public.orders-rows", "capture-public.customers-rows");

    for (Plan plan : List.of(COPY, COPY2)) {
      Topology topology = TopologyFactory.buildStreamTable(plan, CaptureTest::topic, Map.of(), "out");
      assertThat(sourceTopics(topology.describe())).as("%s reads only its table's change topic",
          plan.streamTable()).containsExactly(topic("public.orders"));
      TopologyTestDriver st = driver(topology);
      var chg = st.createInputTopic(topic("public.orders"), new ByteArraySerializer(), new ByteArraySerializer());
      orders.forEach(r -> chg.pipeInput(new TestRecord<>(r.key(), r.value())));
      assertThat(st.getAllStateStores().keySet()).as("%s keeps no copy of orders", plan.streamTable())
          .containsExactly("materialize-2-rows");
      Map<String, String> table = new LinkedHashMap<>();
      for (TestRecord<byte[], byte[]> r : read(st, "out")) {
        if (r.headers().lastHeader("trickle.marker") == null) {
          String k = new String(r.key(), StandardCharsets.UTF_8);
          if (r.value() == null) {
            table.remove(k);
          } else {
            table.put(k, new String(r.value(), StandardCharsets.UTF_8));
          }
        }
      }
      assertThat(table).as("%s after the changes", plan.streamTable())
          .containsExactly(Map.entry("{\"id\":1}", "{\"id\":1,\"customer\":\"a\",\"amount\":3}"));
    }
  }

  @Test
  void aKeylessTablesChangesAreKeyedByRowHash() throws IOException {
    TopologyTestDriver capture = driver(CaptureTopology.build(CHANGES,
        List.of(CapturedTable.of(NOTES)), t -> topic(t.qualifiedName())));
    var in = capture.createInputTopic(CHANGES, new ByteArraySerializer(), new ByteArraySerializer());
    in.pipeInput(change("notes", "c", null, Harness.row("text", "x")));
    in.pipeInput(change("notes", "c", null, Harness.row("text", "x")));
    List<TestRecord<byte[], byte[]>> out = read(capture, topic("public.notes"));
    List<TestRecord<byte[], byte[]>> changes = out.stream()
        .filter(r -> MsgCodec.tag(r.value()) == MsgCodec.CHANGE).toList();
    assertThat(changes).hasSize(2).allSatisfy(r ->
        assertThat(r.key()).isEqualTo(RowHash.of(new Object[] {"x"})));
    assertThat(count(capture.getKeyValueStore("capture-public.notes-rows")))
        .as("two copies of one row: one entry with count 2").isEqualTo(1);
  }

  @Test
  void changeRecordsRoundTrip() {
    Object[] row = {1L, "a", new BigDecimal("1.50"), null, List.of(1L, 2L)};
    Msg.Change c = (Msg.Change) MsgCodec.decode(MsgCodec.encode(new Msg.Change(row, -3)));
    assertThat(c.weight()).isEqualTo(-3);
    assertThat(c.row()).containsExactly(row);
    assertThat(MsgCodec.decode(MsgCodec.encode(new Msg.Marker(7, 99, 123))))
        .isEqualTo(new Msg.Marker(7, 99, 123));
    Msg.ErrorNote e = new Msg.ErrorNote("capture-public.t", "1:1", "22P02", "bad", Map.of("id", 4L));
    assertThat(MsgCodec.decode(MsgCodec.encode(e))).isEqualTo(e);
    assertThat(MsgCodec.tag(MsgCodec.encode(new Msg.Marker(1, 1, 1)))).isEqualTo(MsgCodec.MARKER);
  }

  @Test
  void changesGoToTheirKeysPartitionAndMarkersAndErrorsToEveryPartition() {
    var partitioner = Partitioning.msgPartitioner();
    byte[] marker = MsgCodec.encode(new Msg.Marker(1, 2, 3));
    byte[] error = MsgCodec.encode(new Msg.ErrorNote("x", "", "22P02", "bad", Map.of()));
    assertThat(partitioner.partitions("t", null, marker, 4)).contains(Set.of(0, 1, 2, 3));
    assertThat(partitioner.partitions("t", null, error, 4)).contains(Set.of(0, 1, 2, 3));
    assertThat(partitioner.partitions("t", null, marker, 1)).contains(Set.of(0));
    java.util.Set<Integer> used = new java.util.HashSet<>();
    for (int id = 0; id < 200; id++) {
      Object[] row = {(long) id, "c"};
      byte[] key = KeyCodec.encode(row, new int[] {0});
      byte[] value = MsgCodec.encode(new Msg.Change(row, 1));
      int p = Partitioning.partition(key, 4);
      assertThat(partitioner.partitions("t", key, value, 4)).contains(Set.of(p));
      assertThat(p).as("the same partition as Kafka's producer gives the key")
          .isEqualTo(BuiltInPartitioner.partitionForKey(key, 4));
      assertThat(Partitioning.partition(key, 1)).isZero();
      used.add(p);
    }
    assertThat(used).as("keys spread over every partition").containsExactlyInAnyOrder(0, 1, 2, 3);
  }

  private static List<Msg> markers(List<TestRecord<byte[], byte[]>> records) {
    return records.stream().map(r -> MsgCodec.decode(r.value()))
        .filter(m -> m instanceof Msg.Marker).toList();
  }

  private static int count(KeyValueStore<Bytes, byte[]> store) {
    int n = 0;
    try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
      while (it.hasNext()) {
        it.next();
        n++;
      }
    }
    return n;
  }

  private static List<String> sourceTopics(TopologyDescription d) {
    List<String> out = new ArrayList<>();
    for (TopologyDescription.Subtopology s : d.subtopologies()) {
      for (TopologyDescription.Node n : s.nodes()) {
        if (n instanceof TopologyDescription.Source src) {
          out.addAll(src.topicSet());
        }
      }
    }
    return out;
  }
}
