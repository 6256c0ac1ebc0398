package io.trickle.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.compiler.plan.Column;
import io.trickle.compiler.plan.ColumnType;
import io.trickle.connectors.embedded.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The oracle's comparison: multisets, numerics by value, and ties at ORDER BY ... LIMIT. */
class OracleTest {
  static EmbeddedPostgresServer server;
  static Connection c;
  static final List<Column> COLUMNS = List.of(new Column("id", ColumnType.of(ColumnType.Kind.INTEGER)),
      new Column("score", ColumnType.numeric(10, 2)));

  @BeforeAll
  static void start() throws Exception {
    server = EmbeddedPostgresServer.start();
    c = DriverManager.getConnection(server.jdbcUrl());
    // Scores 9, 8, 7, 7, 7, 5: a LIMIT 3 or 4 cuts through the three sevens.
    sql("CREATE TABLE scores (id int PRIMARY KEY, score numeric(10,2))",
        "INSERT INTO scores VALUES (1, 9), (2, 8), (3, 7), (4, 7), (5, 7), (6, 5)",
        "CREATE TABLE picked (id int PRIMARY KEY, score numeric(10,2))");
  }

  @AfterAll
  static void stop() throws Exception {
    c.close();
    server.close();
  }

  private static void sql(String... statements) throws Exception {
    try (Statement s = c.createStatement()) {
      for (String st : statements) {
        s.execute(st);
      }
    }
  }

  private static Oracle.Result pick(String query, String rows) throws Exception {
    sql("TRUNCATE picked", "INSERT INTO picked VALUES " + rows);
    return Oracle.check(c, "st", "picked", query, COLUMNS);
  }

  @Test
  void anyChoiceAmongTiedRowsAtTheCutIsAccepted() throws Exception {
    String top3 = "SELECT id, score FROM scores ORDER BY score DESC LIMIT 3";
    assertThat(pick(top3, "(1, 9), (2, 8), (3, 7)").ok()).as("PostgreSQL's own choice").isTrue();
    assertThat(pick(top3, "(1, 9), (2, 8), (5, 7.00)").ok()).as("another seven, numerics by value").isTrue();
    Oracle.Result missing = pick(top3, "(1, 9), (3, 7), (4, 7)");
    assertThat(missing.ok()).as("a row ranked before the tie is missing: %s", missing.summary()).isFalse();
    Oracle.Result outside = pick(top3, "(1, 9), (2, 8), (6, 5)");
    assertThat(outside.ok()).as("a row after the tie: %s", outside.summary()).isFalse();
    Oracle.Result tooMany = pick(top3, "(1, 9), (2, 8), (3, 7), (4, 7)");
    assertThat(tooMany.ok()).as("four rows for LIMIT 3: %s", tooMany.summary()).isFalse();
    Oracle.Result tooFew = pick(top3, "(1, 9), (2, 8)");
    assertThat(tooFew.ok()).as("two rows for LIMIT 3: %s", tooFew.summary()).isFalse();
  }

  @Test
  void withoutTiesAtTheCutTheResultIsExact() throws Exception {
    String top2 = "SELECT id, score FROM scores ORDER BY score DESC LIMIT 2;";
    assertThat(pick(top2, "(1, 9), (2, 8)").ok()).isTrue();
    assertThat(pick(top2, "(1, 9), (3, 7)").ok()).isFalse();
    String top6 = "SELECT id, score FROM scores ORDER BY score DESC, id LIMIT 10";
    assertThat(pick(top6, "(1, 9), (2, 8), (3, 7), (4, 7), (5, 7), (6, 5)").ok()).as("fewer rows than the limit").isTrue();
    assertThat(pick("SELECT id, score FROM scores WHERE id > 5", "(6, 5.0)").ok()).as("no LIMIT").isTrue();
  }

  @Test
  void duplicatesMustBePhysicalRowsAsAUserReadsTheTable() throws Exception {
    List<Column> kind = List.of(new Column("kind", ColumnType.of(ColumnType.Kind.TEXT)));
    String query = "SELECT kind FROM events";
    sql("CREATE TABLE events (kind text)", "INSERT INTO events VALUES ('a'), ('a'), ('a'), ('b')",
        "CREATE TABLE copies (__trickle_key text PRIMARY KEY, kind text)",
        "INSERT INTO copies VALUES ('aa:1', 'a'), ('aa:2', 'a'), ('aa:3', 'a'), ('bb:1', 'b')",
        "CREATE TABLE counted (__trickle_key text PRIMARY KEY, __trickle_count bigint, kind text)",
        "INSERT INTO counted VALUES ('aa', 3, 'a'), ('bb', 1, 'b')");
    Oracle.Result copies = Oracle.check(c, "copies", "copies", query, kind);
    assertThat(copies.ok()).as("one row per copy, hidden key ignored: %s", copies.summary()).isTrue();
    assertThat(copies.tableRows()).as("rows as a user counts them").isEqualTo(4);
    Oracle.Result counted = Oracle.check(c, "counted", "counted", query, kind);
    assertThat(counted.ok()).as("a count column is not expanded: %s", counted.summary()).isFalse();
    assertThat(counted.missing()).as("two copies of 'a' missing: %s", counted.summary()).isEqualTo(2);
    sql("DELETE FROM copies WHERE __trickle_key = 'aa:3'", "INSERT INTO copies VALUES ('bb:2', 'b')");
    Oracle.Result wrongCopies = Oracle.check(c, "copies", "copies", query, kind);
    assertThat(wrongCopies.ok()).as("same size, wrong multiplicities: %s", wrongCopies.summary()).isFalse();
  }

  @Test
  void orderedLimitFindsOnlyATrailingTopLevelLimit() {
    assertThat(OrderedLimit.of("select a from t order by a limit 10;"))
        .isEqualTo(new OrderedLimit("select a from t order by a", 10));
    assertThat(OrderedLimit.of("select a from (select a from t order by a limit 3) s")).as("inner LIMIT").isNull();
    assertThat(OrderedLimit.of("select a from t limit 3")).as("no ORDER BY").isNull();
    assertThat(OrderedLimit.of("select a from t order by a limit 3 offset 2")).as("OFFSET").isNull();
    assertThat(OrderedLimit.of("select 'limit 3' from t order by 1 -- limit 4\n")).as("quoted and commented").isNull();
  }
}
