package io.trickle.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trickle.compiler.plan.Plan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Runs a plan in a {@link TopologyTestDriver} with a fresh state directory and feeds it
 * Debezium-shaped JSON. The driver runs the capture stage of the plan's tables and the plan's own
 * topology together ({@link TopologyFactory#build}): the driver pipes what the capture stage
 * writes to the change topics back into the plan's sources. Output records render as one line each:
 * {@code <key> -> <value>}, {@code <key> -> null} (tombstone), {@code marker <value>},
 * {@code error <value>}.
 */
final class Harness implements AutoCloseable {
  static final String SOURCE_TOPIC = "trickle.src.db.changes";
  static final String OUTPUT_TOPIC = "trickle.st.test";
  static final ObjectMapper JSON = new ObjectMapper();

  private final Path stateDir;
  final TopologyTestDriver driver;
  private final TestInputTopic<byte[], byte[]> input;
  private final TestOutputTopic<byte[], byte[]> output;
  private final Map<String, TestInputTopic<byte[], byte[]>> upstreamInputs = new LinkedHashMap<>();
  private long lsn = 100;
  private long tsMs = 1_700_000_000_000L;
  private String txId;
  private int txOrder;
  /** Debezium's {@code source.sequence[0]}: the LSN of the last commit before the change. */
  private long lastCommitLsn = 50;
  /** Every record sent, for {@link #resend}. */
  private final List<String[]> sent = new ArrayList<>();

  Harness(Plan plan) {
    this(plan, Map.of());
  }

  /** @param upstreamTopics upstream stream table → output topic it is read from */
  Harness(Plan plan, Map<String, String> upstreamTopics) {
    try {
      // TopologyTestDriver commits after every record it processes, and with the capture stage
      // in the same topology every change and marker is processed twice (as Debezium JSON, then
      // from its table's change topic): on tmpfs a commit's checkpoint write costs nothing.
      Path shm = Path.of("/dev/shm");
      stateDir = Files.isDirectory(shm) && Files.isWritable(shm)
          ? Files.createTempDirectory(shm, "trickle-topology-test")
          : Files.createTempDirectory("trickle-topology-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "trickle-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    TopologyFactory.Built built = TopologyFactory.build(plan, SOURCE_TOPIC, upstreamTopics, OUTPUT_TOPIC,
        settings());
    exchangeTopicsBuilt.addAndGet(built.exchangeTopics().size());
    driver = new TopologyTestDriver(built.topology(), props);
    input = driver.createInputTopic(SOURCE_TOPIC, new ByteArraySerializer(), new ByteArraySerializer());
    for (Map.Entry<String, String> e : upstreamTopics.entrySet()) {
      upstreamInputs.put(e.getKey(), driver.createInputTopic(e.getValue(), new ByteArraySerializer(),
          new ByteArraySerializer()));
    }
    output = driver.createOutputTopic(OUTPUT_TOPIC, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Set by the *ThroughExchangesTest suites for their duration. */
  static volatile boolean exchanges;
  /** How many exchange topics the harnesses built so far: the suites check theirs had some. */
  static final java.util.concurrent.atomic.AtomicInteger exchangeTopicsBuilt = new java.util.concurrent.atomic.AtomicInteger();

  /** Runs the plans of the suites that follow through exchanges (and in-memory stores), or not. */
  static void throughExchanges(boolean on) {
    if (!on && exchangeTopicsBuilt.get() == 0) {
      throw new AssertionError("no plan of the suite was run through an exchange");
    }
    exchangeTopicsBuilt.set(0);
    exchanges = on;
    System.setProperty(io.trickle.topology.state.StateStores.IN_MEMORY_PROPERTY, String.valueOf(on));
  }

  /**
   * With {@code -Dtrickle.test.exchanges=true}, every keyed operator gets its input through an
   * exchange topic (as with P > 1 partitions, here with one), so the suites also check the
   * exchanges and stage aligners.
   */
  static TopologyFactory.Settings settings() {
    return (exchanges || Boolean.getBoolean("trickle.test.exchanges"))
        ? new TopologyFactory.Settings(1, 1, "trickle.x.test.", true) : TopologyFactory.Settings.SINGLE_TASK;
  }

  static Map<String, Object> row(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  long lsn() {
    return lsn;
  }

  long tsMs() {
    return tsMs;
  }

  Harness insert(String table, Map<String, Object> after) {
    return data(table, "c", null, after, "false");
  }

  /** Inserts that share one LSN, as the rows of one multi-row insert WAL record do. */
  @SafeVarargs
  final Harness insertsInOneWalRecord(String table, Map<String, Object>... rows) {
    for (int i = 0; i < rows.length; i++) {
      if (i > 0) {
        lsn -= 8;
      }
      data(table, "c", null, rows[i], "false");
    }
    return this;
  }

  Harness update(String table, Map<String, Object> after) {
    return data(table, "u", null, after, "false");
  }

  Harness update(String table, Map<String, Object> before, Map<String, Object> after) {
    return data(table, "u", before, after, "false");
  }

  Harness delete(String table, Map<String, Object> before) {
    return data(table, "d", before, null, "false");
  }

  Harness truncate(String table) {
    return data(table, "t", null, null, "false");
  }

  Harness snapshot(String table, Map<String, Object> after, String snapshot) {
    return data(table, "r", null, after, snapshot);
  }

  Harness begin() {
    txId = "571:" + (lsn + 1);
    txOrder = 0;
    ObjectNode v = JSON.createObjectNode().put("status", "BEGIN").put("id", txId);
    v.putNull("event_count");
    v.put("ts_ms", tsMs);
    return send("{\"id\":\"" + txId + "\"}", v.toString());
  }

  Harness end() {
    ObjectNode v = JSON.createObjectNode().put("status", "END").put("id", txId)
        .put("event_count", txOrder).put("ts_ms", tsMs);
    txId = null;
    lastCommitLsn = lsn + 1;
    return send("{\"id\":\"" + v.get("id").asText() + "\"}", v.toString());
  }

  Harness heartbeat() {
    tsMs += 1000;
    return send("{\"serverName\":\"db\"}", "{\"ts_ms\":" + tsMs + "}");
  }

  Harness raw(String value) {
    return send("{}", value);
  }

  Harness data(String table, String op, Map<String, Object> before, Map<String, Object> after,
      String snapshot) {
    lsn += 8;
    tsMs += 1000;
    ObjectNode v = JSON.createObjectNode();
    v.set("before", before == null ? JSON.nullNode() : JSON.valueToTree(before));
    v.set("after", after == null ? JSON.nullNode() : JSON.valueToTree(after));
    ObjectNode source = v.putObject("source");
    source.put("schema", "public").put("table", table).put("lsn", lsn).put("ts_ms", tsMs)
        .put("snapshot", snapshot).put("sequence", "[\"" + lastCommitLsn + "\",\"" + lsn + "\"]");
    if (txId == null) {
      v.putNull("transaction");
      lastCommitLsn = lsn + 1;
    } else {
      txOrder++;
      v.putObject("transaction").put("id", txId).put("total_order", txOrder)
          .put("data_collection_order", txOrder);
    }
    v.put("op", op).put("ts_ms", tsMs + 5);
    return send("{}", v.toString());
  }

  /** Sends the last {@code n} records again, as Debezium does after its worker died. */
  Harness resend(int n) {
    List<String[]> again = new ArrayList<>(sent.subList(sent.size() - n, sent.size()));
    for (String[] r : again) {
      send(r[0], r[1]);
    }
    return this;
  }

  private Harness send(String key, String value) {
    sent.add(new String[] {key, value});
    input.pipeInput(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /** A data record (value null: a tombstone) on an upstream stream table's output topic. */
  Harness upstreamRow(String upstream, String key, String value) {
    upstreamInputs.get(upstream).pipeInput(new TestRecord<>(key.getBytes(StandardCharsets.UTF_8),
        value == null ? null : value.getBytes(StandardCharsets.UTF_8)));
    return this;
  }

  /** An epoch marker on an upstream stream table's output topic. */
  Harness upstreamMarker(String upstream, long seq, long lsn) {
    org.apache.kafka.common.header.internals.RecordHeaders headers =
        new org.apache.kafka.common.header.internals.RecordHeaders();
    headers.add("trickle.marker", "1".getBytes(StandardCharsets.UTF_8));
    String value = "{\"seq\":" + seq + ",\"lsn\":" + lsn + ",\"ts_ms\":" + (1_700_000_000_000L + seq) + "}";
    upstreamInputs.get(upstream).pipeInput(new TestRecord<>(
        "{\"__trickle_marker\":true}".getBytes(StandardCharsets.UTF_8),
        value.getBytes(StandardCharsets.UTF_8), headers));
    return this;
  }

  Harness advance(Duration d) {
    driver.advanceWallClockTime(d);
    return this;
  }

  /** Output records since the last call, rendered one per line. */
  List<String> drain() {
    List<String> out = new ArrayList<>();
    for (TestRecord<byte[], byte[]> r : output.readRecordsToList()) {
      out.add(render(r));
    }
    return out;
  }

  List<TestRecord<byte[], byte[]>> drainRecords() {
    return output.readRecordsToList();
  }

  static String render(TestRecord<byte[], byte[]> r) {
    String value = r.value() == null ? "null" : new String(r.value(), StandardCharsets.UTF_8);
    if (header(r, "trickle.marker") != null) {
      return "marker " + value;
    }
    if (header(r, "trickle.error") != null) {
      return "error " + value;
    }
    return new String(r.key(), StandardCharsets.UTF_8) + " -> " + value;
  }

  static String header(TestRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  static JsonNode parse(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code -total} of a trickle sensor for one processor. */
  double metricTotal(String processor, String operation) {
    for (Map.Entry<MetricName, ? extends org.apache.kafka.common.Metric> e : driver.metrics().entrySet()) {
      MetricName n = e.getKey();
      if (n.name().equals(operation + "-total") && processor.equals(n.tags().get("trickle-id"))) {
        return ((Number) e.getValue().metricValue()).doubleValue();
      }
    }
    throw new AssertionError("no metric " + operation + " for " + processor + " in " + driver.metrics().keySet());
  }

  @Override
  public void close() {
    driver.close();
    try (Stream<Path> files = Files.walk(stateDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
