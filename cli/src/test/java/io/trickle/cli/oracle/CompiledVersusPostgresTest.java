package io.trickle.cli.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.trickle.cli.oracle.DebeziumRecords.SourceRecord;
import io.trickle.compiler.parse.StreamTableDefinition;
import io.trickle.connectors.embedded.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The harness itself: the records it derives from PostgreSQL's WAL have Debezium's shape (insert,
 * update without before image, primary-key change as delete + create, key-only delete, TRUNCATE,
 * every column encoding), and compiled plans fed with them equal PostgreSQL through a random
 * history of multi-statement transactions.
 */
class CompiledVersusPostgresTest {
  private static final String DDL = "CREATE TABLE t (id int PRIMARY KEY, k int, v numeric(10,2), d date,"
      + " ts timestamp, tz timestamptz, b boolean, c char(5), f float8, s text)";

  static EmbeddedPostgresServer server;

  @BeforeAll
  static void start() {
    server = EmbeddedPostgresServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void sql(Connection c, String... statements) throws Exception {
    try (Statement s = c.createStatement()) {
      for (String st : statements) {
        s.execute(st);
      }
    }
  }

  @Test
  void changesHaveDebeziumShape() throws Exception {
    try (Connection c = DriverManager.getConnection(server.jdbcUrl())) {
      sql(c, "CREATE SCHEMA shape", "SET search_path = shape", DDL.replace("TABLE t", "TABLE shape.t"),
          "INSERT INTO shape.t VALUES (1, 10, 12.50, '2024-01-31', '2024-01-31 10:15:30.123456',"
              + " '2024-01-31 10:15:30.5+02', true, 'ab', 1.5, 'x')");
      try (PgChangeCapture capture = PgChangeCapture.open(DriverManager.getConnection(server.jdbcUrl()), "shape")) {
        List<SourceRecord> snapshot = capture.snapshot(List.of("shape.t"));
        assertThat(snapshot).as("snapshot records").hasSize(1);
        JsonNode r = DebeziumRecords.JSON.readTree(snapshot.get(0).value());
        assertThat(r.path("op").asText()).isEqualTo("r");
        assertThat(r.path("source").path("snapshot").asText()).as("the only record is the last").isEqualTo("last");
        JsonNode after = r.path("after");
        assertThat(after.path("v").asText()).as("numeric as a string").isEqualTo("12.50");
        assertThat(after.path("d").asLong()).as("date as epoch days").isEqualTo(19753);
        assertThat(after.path("ts").asLong()).as("timestamp as epoch micros").isEqualTo(1706696130123456L);
        assertThat(after.path("tz").asText()).as("timestamptz as ISO UTC").isEqualTo("2024-01-31T08:15:30.5Z");
        assertThat(after.path("b").booleanValue()).isTrue();
        assertThat(after.path("c").asText()).as("bpchar blank-padded").isEqualTo("ab   ");
        assertThat(after.path("f").doubleValue()).isEqualTo(1.5);

        sql(c, "BEGIN", "UPDATE shape.t SET k = 11 WHERE id = 1", "UPDATE shape.t SET id = 2 WHERE id = 1",
            "DELETE FROM shape.t WHERE id = 2", "INSERT INTO shape.t (id) VALUES (3)", "COMMIT",
            "TRUNCATE shape.t");
        List<String> ops = capture.poll().stream().map(x -> describe(x.value())).toList();
        assertThat(ops).as("one transaction, then the TRUNCATE in its own").containsExactly(
            "BEGIN", "u before=null", "d before={\"id\":1}", "c before=null", "d before={\"id\":2}",
            "c before=null", "END 5", "BEGIN", "t before=null", "END 1");
        assertThat(capture.verifyMirror()).as("the records rebuild the table").isEmpty();
      }
    }
  }

  private static String describe(String value) {
    try {
      JsonNode v = DebeziumRecords.JSON.readTree(value);
      if (v.has("status")) {
        return v.path("status").asText() + (v.path("event_count").isNull() ? "" : " " + v.path("event_count").asLong());
      }
      return v.path("op").asText() + " before=" + v.path("before");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void compiledPlansEqualPostgresThroughRandomTransactions() throws Exception {
    String url = server.jdbcUrl();
    try (Connection c = DriverManager.getConnection(url)) {
      // Long values of s are stored out of line, so updates that leave s alone send it as "unchanged TOAST".
      sql(c, DDL, "ALTER TABLE t ALTER COLUMN s SET STORAGE EXTERNAL", "INSERT INTO t SELECT g, g % 3, g * 1.25, date '2024-01-01' + g, NULL, NULL, g % 2 = 0,"
          + " 'c' || g, g / 4.0, 's' || g FROM generate_series(1, 20) g");
    }
    try (CompiledVersusPostgres h = CompiledVersusPostgres.open(url, List.of("public.t"));
        Connection c = DriverManager.getConnection(url)) {
      h.deploy(StreamTableDefinition.of("agg", "select k, sum(v) as total, count(*) as n, min(d) as first_d"
          + " from t group by k"));
      h.deploy(StreamTableDefinition.of("rows", "select id, k, v, d, ts, tz, b, c, f, s from t where k <> 2"));
      h.deploy(StreamTableDefinition.of("bag", "select k, b from t"));
      h.deploy(StreamTableDefinition.of("selfjoin", "select a.id, b2.id as other from t a join t b2 on a.k = b2.k"
          + " and a.id < b2.id"));
      assertOk(h.sync(), "after the snapshot");
      Random r = new Random(42);
      for (int round = 0; round < 12; round++) {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
          int txs = 1 + r.nextInt(3);
          for (int tx = 0; tx < txs; tx++) {
            for (int i = 0; i < 1 + r.nextInt(4); i++) {
              int id = 1 + r.nextInt(30);
              switch (r.nextInt(5)) {
                case 0 -> s.execute("INSERT INTO t VALUES (" + id + ", " + r.nextInt(4) + ", " + r.nextInt(1000) / 8.0
                    + ", date '2024-03-01' - " + r.nextInt(90) + ", '2024-01-01 00:00:00'::timestamp + interval '"
                    + r.nextInt(100000) + " seconds', now(), " + r.nextBoolean() + ", 'z', NULL, repeat('y', "
                    + r.nextInt(3000) + ")) ON CONFLICT (id) DO NOTHING");
                case 1 -> s.execute("UPDATE t SET k = (k + 1) % 4 WHERE id = " + id);
                case 2 -> s.execute("UPDATE t SET v = v + 1.01, b = NOT b WHERE id = " + id);
                case 3 -> s.execute("UPDATE t SET id = id + 100 WHERE id = " + id);
                default -> s.execute("DELETE FROM t WHERE id = " + id);
              }
            }
            c.commit();
          }
        } finally {
          c.setAutoCommit(true);
        }
        assertOk(h.sync(), "after round " + round);
      }
    }
  }

  private static void assertOk(List<CompiledVersusPostgres.Check> checks, String when) {
    assertThat(checks).as("checks %s", when).hasSize(4);
    for (CompiledVersusPostgres.Check check : checks) {
      assertThat(check.ok()).as("%s %s", check.summary(), when).isTrue();
    }
  }
}
