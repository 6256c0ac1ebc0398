package io.trickle.bench;

import io.trickle.cli.runtime.Catalog;
import io.trickle.cli.runtime.PgUrl;
import io.trickle.cli.runtime.Stack;
import io.trickle.cli.runtime.Topics;
import io.trickle.connectors.ddl.TrickleSchema;
import io.trickle.connectors.embedded.EmbeddedPostgresServer;
import io.trickle.connectors.rest.ConnectRestClient;
import io.trickle.connectors.sink.TrickleSinkConfig;
import io.trickle.connectors.sink.TrickleSinkConnector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The trickle sink against the Debezium JDBC sink, applying the same N upserts (distinct keys)
 * from Kafka into PostgreSQL: one topic in trickle's output format (JSON without schemas, an
 * epoch marker every {@code --epoch} rows), one in JsonConverter-with-schemas format, which
 * Debezium's sink needs (a Struct key). Both topics are filled before a sink starts; a sink's
 * rate is N / (time from its connector config PUT until the target table holds N rows). Rounds
 * alternate the order. See docs/benchmarks.md.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar io.trickle.bench.SinkComparison [--rows N] [--epoch N] [--rounds N]
 * </pre>
 */
public final class SinkComparison {
  private static final String TRICKLE_TOPIC = "bench.sink.trickle";
  private static final String DEBEZIUM_TOPIC = "bench.sink.debezium";

  public static void main(String[] args) throws Exception {
    int rows = 200_000;
    int epoch = 100;
    int rounds = 2;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--rows" -> rows = Integer.parseInt(args[i + 1]);
        case "--epoch" -> epoch = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        default -> {
          System.err.println("usage: SinkComparison [--rows N] [--epoch N] [--rounds N]");
          System.exit(2);
        }
      }
    }
    Path dir = Files.createTempDirectory("trickle-sinks");
    say("%,d upserts per sink, trickle epochs of %d rows, %d rounds, %d cores", rows, epoch, rounds,
        Runtime.getRuntime().availableProcessors());
    try (EmbeddedPostgresServer pgServer = EmbeddedPostgresServer.start(dir.resolve("postgres"));
        Stack stack = Stack.start(null, null, dir);
        Connection c = DriverManager.getConnection(pgServer.jdbcUrl())) {
      PgUrl pg = PgUrl.parse(pgServer.jdbcUrl());
      TrickleSchema.ensure(c);
      try (Topics topics = new Topics(stack.bootstrap(), Optional.of((short) 1))) {
        topics.ensureOutputTopic(TRICKLE_TOPIC);
        topics.ensureOutputTopic(DEBEZIUM_TOPIC);
      }
      long t = System.nanoTime();
      produce(stack.bootstrap(), rows, epoch);
      say("produced %,d records to each topic in %.1f s", rows, EndToEnd.secs(t));
      ConnectRestClient connect = new ConnectRestClient(stack.connectUrl());
      double[] trickle = new double[rounds];
      double[] debezium = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        boolean trickleFirst = r % 2 == 0;
        for (int k = 0; k < 2; k++) {
          boolean isTrickle = (k == 0) == trickleFirst;
          String table = (isTrickle ? "bench_trickle_" : "bench_debezium_") + r;
          createTable(c, table);
          Map<String, String> config = isTrickle ? trickleSink(pg, table) : debeziumSink(pg, table);
          if (isTrickle) {
            Catalog.register(c, table, "public." + table, "sink benchmark", "bench");
          }
          long start = System.nanoTime();
          connect.putConnectorConfig(table, config);
          double secs = awaitRows(c, connect, table, rows, start);
          connect.delete(table);
          double rate = rows / secs;
          (isTrickle ? trickle : debezium)[r] = rate;
          say("round %d: %-8s sink applied %,d rows in %.1f s = %,.0f rows/s", r + 1,
              isTrickle ? "trickle" : "Debezium", rows, secs, rate);
        }
      }
      say("RESULT sink comparison (rows/s per round): trickle %s, Debezium JDBC %s", fmt(trickle), fmt(debezium));
    }
    System.exit(0);
  }

  private static void produce(String bootstrap, int rows, int epoch) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    String keySchema = "{\"type\":\"struct\",\"optional\":false,\"name\":\"bench.Key\",\"fields\":["
        + "{\"field\":\"id\",\"type\":\"int32\",\"optional\":false}]}";
    String valueSchema = "{\"type\":\"struct\",\"optional\":true,\"name\":\"bench.Value\",\"fields\":["
        + "{\"field\":\"id\",\"type\":\"int32\",\"optional\":false},"
        + "{\"field\":\"name\",\"type\":\"string\",\"optional\":true},"
        + "{\"field\":\"amount\",\"type\":\"int64\",\"optional\":true},"
        + "{\"field\":\"note\",\"type\":\"string\",\"optional\":true}]}";
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 1; i <= rows; i++) {
        String key = "{\"id\":" + i + "}";
        String value = "{\"id\":" + i + ",\"name\":\"row " + i + "\",\"amount\":" + (i * 31L % 100_000)
            + ",\"note\":\"a benchmark row of moderate width " + i + "\"}";
        producer.send(new ProducerRecord<>(TRICKLE_TOPIC, bytes(key), bytes(value)));
        producer.send(new ProducerRecord<>(DEBEZIUM_TOPIC, bytes("{\"schema\":" + keySchema + ",\"payload\":" + key + "}"),
            bytes("{\"schema\":" + valueSchema + ",\"payload\":" + value + "}")));
        if (i % epoch == 0 || i == rows) {
          RecordHeaders h = new RecordHeaders();
          h.add("trickle.marker", bytes("1"));
          producer.send(new ProducerRecord<>(TRICKLE_TOPIC, null, bytes("{\"__trickle_marker\":true}"),
              bytes("{\"seq\":" + i + ",\"lsn\":" + i + ",\"ts_ms\":" + System.currentTimeMillis() + "}"), h));
        }
      }
      producer.flush();
    }
  }

  private static Map<String, String> trickleSink(PgUrl pg, String table) {
    Map<String, String> m = TrickleSinkConnector.baseConfig(TRICKLE_TOPIC, pg.jdbcUrl(), null);
    m.put(TrickleSinkConfig.STREAM_TABLE, table);
    m.put(TrickleSinkConfig.TARGET_TABLE, "public." + table);
    return m;
  }

  private static Map<String, String> debeziumSink(PgUrl pg, String table) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector");
    m.put("tasks.max", "1");
    m.put("topics", DEBEZIUM_TOPIC);
    m.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
    m.put("key.converter.schemas.enable", "true");
    m.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    m.put("value.converter.schemas.enable", "true");
    m.put("consumer.override.auto.offset.reset", "earliest");
    m.put("connection.url", "jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/" + pg.database());
    m.put("connection.username", pg.user());
    m.put("connection.password", pg.connectPassword()); // a config provider reference, or empty
    m.put("insert.mode", "upsert");
    m.put("primary.key.mode", "record_key");
    m.put("primary.key.fields", "id");
    m.put("schema.evolution", "none");
    m.put("collection.name.format", table);
    m.put("table.name.format", table);
    m.put("delete.enabled", "false");
    return m;
  }

  private static void createTable(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + table + " (id integer PRIMARY KEY, name text, amount bigint, note text)");
    }
  }

  private static double awaitRows(Connection c, ConnectRestClient connect, String table, int rows, long start)
      throws Exception {
    long deadline = start + Duration.ofMinutes(20).toNanos();
    while (true) {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
        rs.next();
        if (rs.getLong(1) >= rows) {
          return EndToEnd.secs(start);
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(table + " did not reach " + rows + " rows; connector status "
            + connect.status(table));
      }
      Thread.sleep(50);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String fmt(double[] a) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < a.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(String.format("%,.0f", a[i]));
    }
    return sb.append(']').toString();
  }

  private static void say(String fmt, Object... args) {
    System.out.printf("[sinks] " + fmt + "%n", args);
    System.out.flush();
  }
}
