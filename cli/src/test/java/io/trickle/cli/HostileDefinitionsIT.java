package io.trickle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.cli.runtime.Definitions;
import io.trickle.cli.runtime.Deployment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A definitions directory built to break things (issue 9, items 3, 7 and 8): a user's table under
 * a stream table's name, a query and a name built to break out of the SQL trickle builds,
 * reserved words as column names, a mixed-case quoted name, a target PostgreSQL refuses, and one
 * ordinary definition. The user's tables survive with their rows, the bad definitions are
 * {@code error} in the {@code trickle} schema with a message, and every good one equals its query.
 */
class HostileDefinitionsIT {
  @TempDir
  static Path dir;

  /** File name → definition. */
  static final Map<String, String> FILES = new LinkedHashMap<>();

  static {
    FILES.put("a_keepme.sql", "CREATE STREAM TABLE keepme AS SELECT id, amount FROM orders;");
    FILES.put("b_evil_query.sql", "CREATE STREAM TABLE evil_query AS SELECT E'\\''; COMMIT;"
        + " DROP TABLE victim; SELECT 1 AS one --';");
    FILES.put("c_evil_dollar.sql", "CREATE STREAM TABLE evil_dollar AS SELECT id FROM orders"
        + " WHERE $x$; COMMIT; DROP TABLE victim; --$x$ <> '' /* ; DROP TABLE victim; /* */ ; */");
    FILES.put("d_evil_name.sql", "CREATE STREAM TABLE \"x; DROP TABLE victim; --\" AS"
        + " SELECT id, amount FROM orders WHERE status <> 'void';");
    FILES.put("e_reserved.sql", "CREATE STREAM TABLE reserved_columns AS SELECT id AS \"in\","
        + " amount AS \"left\", status AS \"unique\", id * 2 AS \"current_date\", status AS \"join\" FROM orders;");
    FILES.put("f_mixed.sql", "CREATE STREAM TABLE \"MixedCase\" AS SELECT status, count(*) AS n,"
        + " sum(amount) AS total FROM orders GROUP BY status;");
    FILES.put("g_no_schema.sql", "CREATE STREAM TABLE \"no_such_schema.t\" AS SELECT id FROM orders;");
    FILES.put("h_plain.sql", "CREATE STREAM TABLE order_totals AS SELECT count(*) AS n,"
        + " sum(amount) AS total FROM orders;");
  }

  @Test
  void hostileDefinitionsFailAloneAndHarmNothing() throws Exception {
    Path defs = Files.createDirectories(dir.resolve("definitions"));
    for (Map.Entry<String, String> f : FILES.entrySet()) {
      Files.writeString(defs.resolve(f.getKey()), f.getValue());
    }
    try (ItStack stack = ItStack.start(dir,
        "CREATE TABLE orders (id bigint PRIMARY KEY, amount numeric(10,2) NOT NULL, status text NOT NULL)",
        "INSERT INTO orders SELECT i, i * 1.5, CASE i % 3 WHEN 0 THEN 'open' WHEN 1 THEN 'paid'"
            + " ELSE 'void' END FROM generate_series(1, 200) i",
        "CREATE TABLE victim (x int)", "INSERT INTO victim VALUES (7)",
        "CREATE TABLE keepme (x int)", "INSERT INTO keepme VALUES (42)");
        Connection c = stack.connection()) {
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
      Definitions.Loaded loaded = Definitions.load(defs, out);
      assertThat(loaded.failures()).as("the file whose query holds a second statement")
          .containsOnlyKeys(defs.resolve("b_evil_query.sql"));
      assertThat(loaded.failures().values().iterator().next()).contains("end of the file after ';'");

      stack.deployment = new Deployment(stack.options(), out);
      stack.deployment.deploy(loaded.definitions());
      Deployment deployment = stack.deployment;
      String output = log.toString(StandardCharsets.UTF_8);
      assertThat(deployment.failed()).as("the run goes on past the bad definitions: " + output)
          .containsOnlyKeys("keepme", "evil_dollar", "no_such_schema.t");
      assertThat(deployment.failed().get("keepme")).contains("keepme").contains("not created by trickle")
          .contains("drop or rename");
      assertThat(deployment.failed().get("no_such_schema.t")).contains("no_such_schema");

      assertThat(scalar(c, "SELECT count(*) FROM victim WHERE x = 7")).as("victim survives").isEqualTo(1);
      assertThat(scalar(c, "SELECT count(*) FROM keepme WHERE x = 42")).as("the user's keepme survives,"
          + " with its row and its own column").isEqualTo(1);
      assertThat(scalar(c, "SELECT count(*) FROM pg_class WHERE relname = 'MixedCase'"))
          .as("a quoted name keeps its case").isEqualTo(1);
      assertThat(scalar(c, "SELECT count(*) FROM pg_class WHERE relname = 'mixedcase'")).isZero();

      for (String bad : deployment.failed().keySet()) {
        try (var ps = c.prepareStatement("SELECT status, error FROM trickle.stream_tables WHERE name = ?")) {
          ps.setString(1, bad);
          try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).as("catalog row of %s", bad).isTrue();
            assertThat(rs.getString(1)).as("status of %s", bad).isEqualTo("error");
            assertThat(rs.getString(2)).as("error of %s", bad).isNotBlank();
          }
        }
      }

      // The good ones: equal to their queries, after the load and after changes.
      try (Statement s = c.createStatement()) {
        s.execute("DELETE FROM trickle.stream_tables WHERE status = 'error'");
      }
      stack.awaitFresh(c, "after the initial load");
      assertGoodOnesEqualTheirQueries(stack, c, "after the initial load", 4);
      try (Statement s = c.createStatement()) {
        s.execute("UPDATE orders SET status = 'paid', amount = amount + 1 WHERE id % 7 = 0");
        s.execute("DELETE FROM orders WHERE id % 11 = 0");
        s.execute("INSERT INTO orders SELECT i, i, 'open' FROM generate_series(201, 230) i");
      }
      stack.awaitFresh(c, "after updates, deletes and inserts");
      assertGoodOnesEqualTheirQueries(stack, c, "after updates, deletes and inserts", 4);
      assertThat(scalar(c, "SELECT count(*) FROM victim WHERE x = 7")).as("victim survives").isEqualTo(1);
      assertThat(scalar(c, "SELECT count(*) FROM keepme WHERE x = 42")).isEqualTo(1);

      // Run again: order_totals is redefined (its table is trickle's: replaced), and the user has
      // replaced MixedCase's table by one of their own (no longer trickle's: left alone).
      stack.deployment.close();
      try (Statement s = c.createStatement()) {
        s.execute("DROP TABLE \"MixedCase\"");
        s.execute("CREATE TABLE \"MixedCase\" (mine text)");
        s.execute("INSERT INTO \"MixedCase\" VALUES ('user row')");
      }
      Files.writeString(defs.resolve("h_plain.sql"), "CREATE STREAM TABLE order_totals AS"
          + " SELECT status, count(*) AS n FROM orders GROUP BY status;");
      stack.deployment = new Deployment(stack.options(), out);
      stack.deployment.deploy(Definitions.load(defs, out).definitions());
      assertThat(stack.deployment.failed()).as(log.toString(StandardCharsets.UTF_8))
          .containsOnlyKeys("keepme", "evil_dollar", "no_such_schema.t", "MixedCase");
      assertThat(stack.deployment.failed().get("MixedCase")).contains("not created by trickle");
      assertThat(scalar(c, "SELECT count(*) FROM \"MixedCase\" WHERE mine = 'user row'"))
          .as("the user's new MixedCase survives, with its row").isEqualTo(1);
      try (Statement s = c.createStatement()) {
        s.execute("DELETE FROM trickle.stream_tables WHERE status = 'error'");
        s.execute("UPDATE orders SET status = 'open' WHERE id % 5 = 0");
      }
      stack.awaitFresh(c, "after the second run");
      assertGoodOnesEqualTheirQueries(stack, c, "after the second run, order_totals redefined", 3);
      assertThat(scalar(c, "SELECT count(*) FROM \"MixedCase\"")).as("nothing wrote into it").isEqualTo(1);
      assertThat(scalar(c, "SELECT count(*) FROM victim WHERE x = 7")).isEqualTo(1);
    }
  }

  private static void assertGoodOnesEqualTheirQueries(ItStack stack, Connection c, String when,
      int expected) throws Exception {
    int checked = 0;
    for (Deployment.Deployed d : stack.deployment.deployed()) {
      if (!stack.deployment.failed().containsKey(d.definition().name())) {
        ItStack.assertOracle(c, d, when);
        checked++;
      }
    }
    assertThat(checked).as("the good ones checked " + when).isEqualTo(expected);
  }

  private static long scalar(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
