package io.trickle.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trickle.connectors.debezium.ChangesTopic;
import io.trickle.connectors.debezium.DebeziumSourceConfig;
import io.trickle.connectors.embedded.EmbeddedConnect;
import io.trickle.connectors.embedded.EmbeddedKafka;
import io.trickle.connectors.embedded.EmbeddedPostgresServer;
import io.trickle.connectors.rest.ConnectRestClient;
import io.trickle.connectors.rest.ConnectRestException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debezium end to end on the embedded stack: PostgreSQL (pgoutput) -> Connect -> one changes
 * topic. Checks the source contract of the brief: one topic in commit order, transaction
 * markers, TRUNCATE as op "t", heartbeats, and the JSON encoding of each column type.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebeziumPipelineIT {
  private static final Logger LOG = LoggerFactory.getLogger(DebeziumPipelineIT.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOPIC = "trickle.src.postgres.changes";
  private static final String CONNECTOR = "trickle-source-postgres";

  @TempDir static Path dir;
  static EmbeddedPostgresServer pg;
  static EmbeddedKafka kafka;
  static EmbeddedConnect connect;
  static ConnectRestClient rest;
  static KafkaConsumer<String, String> consumer;
  static Connection db;
  /** Every record consumed so far, in topic order. */
  static final List<Rec> seen = new ArrayList<>();

  record Rec(long offset, JsonNode key, JsonNode value, String rawValue) {
    String table() {
      return value == null ? null : value.path("source").path("table").asText(null);
    }

    String op() {
      return value == null ? null : value.path("op").asText(null);
    }

    String status() {
      return value == null ? null : value.path("status").asText(null);
    }

    boolean heartbeatTable() {
      return "heartbeat".equals(table());
    }
  }

  @BeforeAll
  static void startStack() throws Exception {
    long t0 = System.nanoTime();
    pg = EmbeddedPostgresServer.start(dir.resolve("pg"));
    long t1 = System.nanoTime();
    kafka = EmbeddedKafka.start(dir.resolve("kafka"));
    long t2 = System.nanoTime();
    connect = EmbeddedConnect.start(kafka.bootstrapServers(), dir.resolve("connect"));
    long t3 = System.nanoTime();
    LOG.info("TIMING startup: postgres {} ms, kafka {} ms, connect {} ms",
        (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
    rest = new ConnectRestClient(connect.restUrl());
    db = DriverManager.getConnection(pg.jdbcUrl());
    db.setAutoCommit(true);
  }

  @AfterAll
  static void stopStack() throws Exception {
    if (consumer != null) {
      consumer.close();
    }
    if (db != null) {
      db.close();
    }
    if (connect != null) {
      connect.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  @Order(1)
  void pluginsAreDiscoveredThroughServiceLoader() {
    List<String> classes = rest.connectorPlugins().stream().map(ConnectRestClient.ConnectorPlugin::className).toList();
    assertThat(classes).as("connector plugins of the embedded worker")
        .contains("io.debezium.connector.postgresql.PostgresConnector", "io.debezium.connector.jdbc.JdbcSinkConnector",
            ProbeSinkConnector.class.getName());
  }

  @Test
  @Order(2)
  void deployAndSnapshot() throws Exception {
    exec("CREATE TABLE public.orders (id int PRIMARY KEY, amount numeric(10,2), n numeric, d date, t time,"
        + " ts timestamp, ts3 timestamp(3), tstz timestamptz, note text, code char(5), flag bool, f8 float8)");
    exec("CREATE TABLE public.events (name text, qty int)");
    exec("ALTER TABLE public.events REPLICA IDENTITY FULL");
    exec("INSERT INTO orders VALUES (1, 12.50, 1000.5000, '2024-01-31', '10:15:30.123456',"
        + " '2024-01-31 10:15:30.123456', '2024-01-31 10:15:30.123', '2024-01-01 10:00:00.123456+00',"
        + " 'first', 'ab', true, 1.5)");
    exec("INSERT INTO events VALUES ('snap', 7)");
    io.trickle.connectors.ddl.TrickleSchema.ensure(db);
    Set<String> added = DebeziumSourceConfig.ensurePublication(db, "trickle_pub",
        Set.of("public.orders", "public.events", DebeziumSourceConfig.HEARTBEAT_TABLE));
    assertThat(added).as("tables newly published").containsExactlyInAnyOrder("public.orders", "public.events", "trickle.heartbeat");
    assertThat(DebeziumSourceConfig.ensurePublication(db, "trickle_pub",
        Set.of("public.orders", "public.events", DebeziumSourceConfig.HEARTBEAT_TABLE)))
        .as("ensurePublication is idempotent").isEmpty();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      ChangesTopic.ensure(admin, TOPIC, Optional.of((short) 1));
      ChangesTopic.ensure(admin, TOPIC, Optional.of((short) 1));
    }
    Map<String, String> config = DebeziumSourceConfig.builder()
        .host(pg.host()).port(pg.port()).database("postgres").user(pg.user()).password("")
        .tables(Set.of("public.orders", "public.events")).changesTopic(TOPIC)
        .slot("trickle_slot").publication("trickle_pub").heartbeatIntervalMs(1000)
        .build();
    long t0 = System.nanoTime();
    assertThat(rest.putConnectorConfig(CONNECTOR, config)).as("first PUT creates the connector").isTrue();
    assertThat(rest.putConnectorConfig(CONNECTOR, config)).as("second PUT updates it").isFalse();
    rest.awaitRunning(CONNECTOR, Duration.ofSeconds(60));
    LOG.info("TIMING connector RUNNING {} ms after PUT", (System.nanoTime() - t0) / 1_000_000);

    consumer = newConsumer();
    Rec snap = awaitRecord(r -> "orders".equals(r.table()) && "r".equals(r.op()), Duration.ofSeconds(60));
    LOG.info("TIMING first snapshot record {} ms after PUT", (System.nanoTime() - t0) / 1_000_000);
    LOG.info("SAMPLE snapshot orders key={} value={}", snap.key(), snap.rawValue());
    JsonNode a = snap.value().path("after");
    assertThat(a.path("amount").isTextual()).as("numeric(10,2) is a string: %s", a).isTrue();
    assertThat(a.path("amount").asText()).as("numeric(10,2)").isEqualTo("12.50");
    assertThat(a.path("n").asText()).as("unconstrained numeric").isEqualTo("1000.5000");
    assertThat(a.path("d").isInt()).as("date is an int: %s", a).isTrue();
    assertThat(a.path("d").asLong()).as("date = days since epoch").isEqualTo(java.time.LocalDate.of(2024, 1, 31).toEpochDay());
    assertThat(a.path("t").asLong()).as("time = micros since midnight")
        .isEqualTo(java.time.LocalTime.parse("10:15:30.123456").toNanoOfDay() / 1000);
    long micros = java.time.LocalDateTime.parse("2024-01-31T10:15:30.123456").toEpochSecond(java.time.ZoneOffset.UTC) * 1_000_000 + 123456;
    assertThat(a.path("ts").asLong()).as("timestamp = micros since epoch").isEqualTo(micros);
    assertThat(a.path("ts3").asLong()).as("timestamp(3) = MILLIS since epoch (adaptive precision)").isEqualTo((micros - 456) / 1000);
    assertThat(a.path("tstz").asText()).as("timestamptz ISO string").isEqualTo("2024-01-01T10:00:00.123456Z");
    assertThat(a.path("code").asText()).as("char(5) is blank-padded").isEqualTo("ab   ");
    assertThat(a.path("flag").asBoolean()).as("bool").isTrue();
    assertThat(a.path("f8").asDouble()).as("float8").isEqualTo(1.5);
    assertThat(snap.value().path("source").path("snapshot").asText()).as("snapshot marker").isNotEqualTo("false");
    assertThat(snap.value().path("transaction").isNull()).as("snapshot records carry no transaction").isTrue();
    awaitRecord(r -> "events".equals(r.table()) && "r".equals(r.op()), Duration.ofSeconds(30));
  }

  @Test
  @Order(3)
  void changesArriveInCommitOrderWithTransactionMarkers() throws Exception {
    int from = seen.size();
    exec("INSERT INTO orders VALUES (2, 0.10, 'NaN', '1969-12-31', '00:00:00', '1969-12-31 23:59:59.999999',"
        + " '2024-01-01 00:00:00', '2024-06-01 12:00:00+02', 'second', 'abcde', false, -0.0)");
    exec("UPDATE orders SET amount = 13.75, note = 'updated' WHERE id = 2");
    exec("UPDATE orders SET id = 3 WHERE id = 2");
    exec("DELETE FROM orders WHERE id = 3");
    db.setAutoCommit(false);
    try (Statement s = db.createStatement()) {
      s.execute("INSERT INTO orders (id, amount, note) VALUES (10, 1, 'tx')");
      s.execute("INSERT INTO events VALUES ('x', 1)");
      s.execute("UPDATE events SET qty = 2 WHERE name = 'x'");
      s.execute("DELETE FROM events WHERE name = 'x'");
    }
    db.commit();
    db.setAutoCommit(true);
    exec("TRUNCATE events");
    exec("INSERT INTO orders (id, note) VALUES (11, 'last')");
    Rec last = awaitRecord(r -> "orders".equals(r.table()) && "c".equals(r.op()) && r.value().path("after").path("id").asInt() == 11,
        Duration.ofSeconds(30));
    awaitRecord(r -> "END".equals(r.status()) && txId(r).equals(txId(last)), Duration.ofSeconds(30));

    List<Rec> recs = seen.subList(from, seen.size()).stream().filter(r -> !r.heartbeatTable() && !isHeartbeatMessage(r)).toList();
    StringBuilder shape = new StringBuilder();
    for (Rec r : recs) {
      shape.append(r.status() != null ? r.status() : r.table() + ":" + r.op()).append(' ');
      LOG.info("SAMPLE key={} value={}", r.key(), r.rawValue());
    }
    LOG.info("SHAPE {}", shape);
    List<String> data = recs.stream().filter(r -> r.op() != null).map(r -> r.table() + ":" + r.op()).toList();
    assertThat(data).as("data events in commit order (a primary key change is delete + create)").containsExactly(
        "orders:c", "orders:u", "orders:d", "orders:c", "orders:d",
        "orders:c", "events:c", "events:u", "events:d",
        "events:t", "orders:c");

    // Every data event sits between the BEGIN and END of its transaction. The "id" strings are
    // "<txId>:<lsn>" with the LSN of each record (BEGIN, every event and END differ), so
    // transactions are matched on the txId part.
    for (int i = 0; i < recs.size(); i++) {
      Rec r = recs.get(i);
      if (r.op() == null) {
        continue;
      }
      String tx = txId(r);
      assertThat(r.value().path("source").path("txId").asText()).as("source.txId of %s", r.rawValue()).isEqualTo(tx);
      int begin = indexOf(recs, x -> "BEGIN".equals(x.status()) && tx.equals(txId(x)));
      int end = indexOf(recs, x -> "END".equals(x.status()) && tx.equals(txId(x)));
      assertThat(begin).as("BEGIN of %s before its event", tx).isBetween(0, i - 1);
      assertThat(end).as("END of %s after its event", tx).isGreaterThan(i);
    }
    // Commit order: the LSN in the END records' ids (the commit LSN) only grows. Transaction ids
    // need not: the heartbeat's transaction may take its id before ours and commit after.
    long lastCommitLsn = 0;
    for (Rec r : recs) {
      if ("END".equals(r.status())) {
        String id = r.value().path("id").asText();
        long lsn = Long.parseLong(id.substring(id.indexOf(':') + 1));
        assertThat(lsn).as("commit LSN of %s after the previous one", id).isGreaterThan(lastCommitLsn);
        lastCommitLsn = lsn;
      }
    }
    Rec multiEnd = recs.stream().filter(x -> "END".equals(x.status()) && x.value().path("event_count").asInt() == 4).findFirst().orElse(null);
    assertThat(multiEnd).as("END of the 4-statement transaction with event_count 4").isNotNull();
    LOG.info("SAMPLE multi-statement END key={} value={}", multiEnd.key(), multiEnd.rawValue());

    Rec insert = recs.stream().filter(r -> "c".equals(r.op())).findFirst().orElseThrow();
    JsonNode a = insert.value().path("after");
    assertThat(a.path("n").asText()).as("numeric NaN (upper case!)").isEqualTo("NAN");
    assertThat(a.path("d").asLong()).as("date before epoch").isEqualTo(-1);
    assertThat(a.path("ts").asLong()).as("timestamp before epoch").isEqualTo(-1);
    assertThat(a.path("code").asText()).as("full char(5)").isEqualTo("abcde");
    assertThat(a.path("tstz").asText()).as("timestamptz normalised to UTC").isEqualTo("2024-06-01T10:00:00.000000Z");

    Rec update = recs.stream().filter(r -> "u".equals(r.op())).findFirst().orElseThrow();
    assertThat(update.value().path("before").isNull()).as("REPLICA IDENTITY DEFAULT: no before image on update: %s",
        update.rawValue()).isTrue();
    Rec pkDelete = recs.stream().filter(r -> "d".equals(r.op())).findFirst().orElseThrow();
    assertThat(pkDelete.value().path("before").path("id").asInt()).as("pk change deletes old key").isEqualTo(2);
    assertThat(pkDelete.value().path("before").has("note") && pkDelete.value().path("before").path("note").isNull())
        .as("REPLICA IDENTITY DEFAULT: a delete's before lists every column, non-key ones as null: %s", pkDelete.rawValue())
        .isTrue();
    Rec noPkUpdate = recs.stream().filter(r -> "events".equals(r.table()) && "u".equals(r.op())).findFirst().orElseThrow();
    assertThat(noPkUpdate.value().path("before").path("qty").asInt()).as("REPLICA IDENTITY FULL gives the old row").isEqualTo(1);
    assertThat(noPkUpdate.key() == null || noPkUpdate.key().isNull()).as("table without key: null key").isTrue();
    Rec truncate = recs.stream().filter(r -> "t".equals(r.op())).findFirst().orElseThrow();
    assertThat(truncate.value().path("before").isNull() && truncate.value().path("after").isNull())
        .as("truncate has no before/after: %s", truncate.rawValue()).isTrue();
    LOG.info("SAMPLE truncate key={} value={}", truncate.key(), truncate.rawValue());
  }

  @Test
  @Order(4)
  void heartbeatsArrive() {
    Rec hbTable = awaitRecord(r -> r.heartbeatTable() && "u".equals(r.op()), Duration.ofSeconds(15));
    assertThat(hbTable.value().path("source").path("lsn").asLong()).as("heartbeat change carries an LSN").isPositive();
    LOG.info("SAMPLE heartbeat-table change key={} value={}", hbTable.key(), hbTable.rawValue());
    Rec hbMessage = awaitRecord(DebeziumPipelineIT::isHeartbeatMessage, Duration.ofSeconds(15));
    LOG.info("SAMPLE heartbeat message key={} value={}", hbMessage.key(), hbMessage.rawValue());
    assertThat(hbMessage.key().path("serverName").asText()).as("heartbeat key").isEqualTo("trickle.src.postgres");
  }

  @Test
  @Order(5)
  void commitToConsumableLatency() throws Exception {
    List<Long> micros = new ArrayList<>();
    for (int i = 0; i < 21; i++) {
      int id = 1000 + i;
      exec("INSERT INTO orders (id, note) VALUES (" + id + ", 'latency')");
      long committed = System.nanoTime();
      awaitRecord(r -> "orders".equals(r.table()) && r.value().path("after").path("id").asInt() == id, Duration.ofSeconds(10));
      micros.add((System.nanoTime() - committed) / 1000);
    }
    micros.remove(0); // the first one warms the path up
    List<Long> sorted = micros.stream().sorted().toList();
    LOG.info("TIMING commit->consumable over {} single-row inserts: median {} ms, min {} ms, max {} ms", sorted.size(),
        sorted.get(sorted.size() / 2) / 1000.0, sorted.get(0) / 1000.0, sorted.get(sorted.size() - 1) / 1000.0);
    assertThat(sorted.get(sorted.size() / 2)).as("median latency in micros").isLessThan(2_000_000L);
  }

  @Test
  @Order(6)
  void ownSinkConnectorRunsAndFailuresAreReported() {
    Map<String, String> sink = Map.of("connector.class", ProbeSinkConnector.class.getName(), "tasks.max", "1",
        "topics", TOPIC, "key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter",
        "value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    rest.putConnectorConfig("probe-ok", sink);
    assertThat(rest.awaitRunning("probe-ok", Duration.ofSeconds(30)).running()).as("probe sink running").isTrue();
    Map<String, String> failing = new java.util.HashMap<>(sink);
    failing.put("probe.fail", "true");
    rest.putConnectorConfig("probe-fail", failing);
    assertThatThrownBy(() -> rest.awaitRunning("probe-fail", Duration.ofSeconds(30)))
        .as("awaitRunning reports the failed task")
        .isInstanceOf(ConnectRestException.class)
        .hasMessageContaining("probe-fail-0 FAILED")
        .hasMessageContaining("probe task asked to fail");
    assertThatThrownBy(() -> rest.status("no-such-connector")).as("404 surfaces with status")
        .isInstanceOf(ConnectRestException.class).hasMessageContaining("HTTP 404");
    rest.delete("probe-ok");
    rest.delete("probe-fail");
  }

  @Test
  @Order(7)
  void tableAddedToRunningConnectorAndUnchangedToastedValue() throws Exception {
    exec("CREATE TABLE public.docs (id int PRIMARY KEY, body text, v int)");
    // md5 chains do not compress, so the value is stored out of line (TOASTed).
    exec("INSERT INTO docs SELECT 1, string_agg(md5(i::text), ''), 0 FROM generate_series(1, 500) i");
    Set<String> tables = Set.of("public.orders", "public.events", "public.docs", DebeziumSourceConfig.HEARTBEAT_TABLE);
    assertThat(DebeziumSourceConfig.ensurePublication(db, "trickle_pub", tables)).as("added").containsExactly("public.docs");
    Map<String, String> config = DebeziumSourceConfig.builder()
        .host(pg.host()).port(pg.port()).database("postgres").user(pg.user())
        .tables(tables).changesTopic(TOPIC).slot("trickle_slot").publication("trickle_pub").build();
    assertThat(rest.putConnectorConfig(CONNECTOR, config)).as("reconfigured, not created").isFalse();
    Thread.sleep(1000); // the task restarts with the new config
    rest.awaitRunning(CONNECTOR, Duration.ofSeconds(60));
    exec("UPDATE docs SET v = 1 WHERE id = 1");
    Rec r = awaitRecord(x -> "docs".equals(x.table()) && "u".equals(x.op()), Duration.ofSeconds(30));
    LOG.info("SAMPLE toast update value={}", r.rawValue());
    assertThat(r.value().path("after").path("body").asText()).as("unchanged TOASTed column")
        .isEqualTo("__debezium_unavailable_value");
    assertThat(r.value().path("after").path("v").asInt()).as("changed column").isEqualTo(1);
  }

  @Test
  @Order(8)
  void connectorLifecycle() {
    assertThat(rest.exists(CONNECTOR)).as("exists").isTrue();
    assertThat(rest.status(CONNECTOR).running()).as("running").isTrue();
    assertThat(rest.delete(CONNECTOR)).as("delete existing").isTrue();
    assertThat(rest.delete(CONNECTOR)).as("delete again").isFalse();
    assertThat(rest.exists(CONNECTOR)).as("gone").isFalse();
  }

  /** The PostgreSQL transaction id of a data event or a BEGIN/END record. */
  private static String txId(Rec r) {
    String id = r.status() != null ? r.value().path("id").asText() : r.value().path("transaction").path("id").asText();
    return id.substring(0, id.indexOf(':'));
  }

  private static boolean isHeartbeatMessage(Rec r) {
    return r.value() != null && r.value().size() == 1 && r.value().has("ts_ms");
  }

  private static int indexOf(List<Rec> recs, Predicate<Rec> p) {
    for (int i = 0; i < recs.size(); i++) {
      if (p.test(recs.get(i))) {
        return i;
      }
    }
    return -1;
  }

  private static void exec(String sql) throws SQLException {
    try (Statement s = db.createStatement()) {
      s.execute(sql);
    }
  }

  private static KafkaConsumer<String, String> newConsumer() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
    KafkaConsumer<String, String> c = new KafkaConsumer<>(p);
    TopicPartition tp = new TopicPartition(TOPIC, 0);
    c.assign(List.of(tp));
    c.seekToBeginning(List.of(tp));
    return c;
  }

  /** Polls until a record matching {@code p} arrives (or was already seen since the last match). */
  private static Rec awaitRecord(Predicate<Rec> p, Duration timeout) {
    for (Rec r : seenUnmatched) {
      if (p.test(r)) {
        seenUnmatched.remove(r);
        return r;
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, String> cr : consumer.poll(Duration.ofMillis(5))) {
        Rec r = new Rec(cr.offset(), parse(cr.key()), parse(cr.value()), cr.value());
        seen.add(r);
        seenUnmatched.add(r);
      }
      for (Rec r : seenUnmatched) {
        if (p.test(r)) {
          seenUnmatched.remove(r);
          return r;
        }
      }
    }
    throw new AssertionError("no matching record within " + timeout + "; last records: "
        + seen.subList(Math.max(0, seen.size() - 10), seen.size()).stream().map(Rec::rawValue).toList());
  }

  private static final List<Rec> seenUnmatched = new ArrayList<>();

  private static JsonNode parse(String s) {
    if (s == null) {
      return null;
    }
    try {
      return JSON.readTree(s);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + s, e);
    }
  }

}
