package io.trickle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.cli.runtime.Deployment;
import io.trickle.cli.runtime.Freshness;
import io.trickle.cli.runtime.Oracle;
import io.trickle.cli.runtime.PgUrl;
import io.trickle.cli.runtime.Stack;
import io.trickle.compiler.parse.DefinitionParser;
import io.trickle.compiler.parse.StreamTableDefinition;
import io.trickle.connectors.embedded.EmbeddedPostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table without a primary key under REPLICA IDENTITY FULL, on real servers: duplicate rows
 * are physical rows of the stream table (as many as PostgreSQL returns), a delete or update of
 * one copy (by ctid) changes one copy, and the stream tables over it (its rows, a GROUP BY,
 * scalar subqueries and a CTE read twice, EXCEPT ALL and UNION ALL against a second keyless
 * table, and stream tables reading the keyless stream table log_rows) equal their queries, as a
 * user reads them: {@code SELECT <user columns>}, no count to expand.
 */
class KeylessSubqueryIT {
  @TempDir
  static Path dir;

  static EmbeddedPostgresServer pgServer;
  static PgUrl pg;
  static Stack stack;
  static Deployment deployment;

  static final String[] DEFINITIONS = {
      "CREATE STREAM TABLE log_rows AS SELECT kind, n FROM log",
      // NULL kinds form one group: the target's key is UNIQUE NULLS NOT DISTINCT.
      "CREATE STREAM TABLE log_kinds AS SELECT kind, count(*) AS c, sum(n) AS s FROM log"
          + " GROUP BY kind",
      "CREATE STREAM TABLE log_above AS SELECT kind, n,"
          + " (SELECT count(*) FROM log l2 WHERE l2.kind = log.kind) AS same_kind"
          + " FROM log WHERE n > (SELECT avg(n) FROM log)",
      "CREATE STREAM TABLE log_top AS WITH t AS (SELECT kind, sum(n) AS s FROM log"
          + " GROUP BY kind)"
          + " SELECT kind, s FROM t WHERE s = (SELECT max(s) FROM t)",
      "CREATE STREAM TABLE log_untagged AS SELECT kind FROM log EXCEPT ALL SELECT t_kind FROM tags",
      "CREATE STREAM TABLE log_and_tags AS SELECT kind FROM log UNION ALL SELECT t_kind FROM tags",
      // Downstream of a keyless stream table: each of its copies is a row of the upstream.
      "CREATE STREAM TABLE log_rows_low AS SELECT kind FROM log_rows WHERE n < 4",
      "CREATE STREAM TABLE log_rows_kinds AS SELECT kind, count(*) AS c FROM log_rows GROUP BY kind",
  };

  @BeforeAll
  static void start() throws Exception {
    pgServer = EmbeddedPostgresServer.start(dir.resolve("pg"));
    pg = PgUrl.parse(pgServer.jdbcUrl());
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl()); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE log (kind text, n int)");
      s.execute("ALTER TABLE log REPLICA IDENTITY FULL");
      // Every row three times.
      s.execute("INSERT INTO log SELECT 'k' || (i % 5), i % 7 FROM generate_series(1, 40) i,"
          + " generate_series(1, 3)");
      s.execute("CREATE TABLE tags (t_kind text)");
      s.execute("ALTER TABLE tags REPLICA IDENTITY FULL");
      s.execute("INSERT INTO tags SELECT 'k' || (i % 3) FROM generate_series(1, 20) i");
    }
    stack = Stack.start(null, null, dir.resolve("stack"));
    deployment = new Deployment(new Deployment.Options(pg, stack.bootstrap(), stack.connectUrl(),
        dir.resolve("stack"), true, 300), System.out);
    List<StreamTableDefinition> defs = new ArrayList<>();
    for (String d : DEFINITIONS) {
      defs.add(DefinitionParser.parse(d));
    }
    deployment.deploy(defs);
  }

  @AfterAll
  static void stop() throws Exception {
    if (deployment != null) {
      deployment.close();
    }
    if (stack != null) {
      stack.close();
    }
    if (pgServer != null) {
      pgServer.close();
    }
  }

  @Test
  void duplicatesArePhysicalRowsThroughInsertsDeletesAndUpdates() throws Exception {
    assertThat(deployment.failed()).as("every definition deploys").isEmpty();
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl())) {
      assertThat(Freshness.await(c, Duration.ofSeconds(180))).as("initial load").isNull();
      checkOracle(c, "after the initial load");
      try (Statement s = c.createStatement()) {
        assertThat(count(s, "SELECT count(*) FROM (SELECT kind, n FROM log_rows GROUP BY 1, 2"
            + " HAVING count(*) >= 3) d")).as("identical rows are as many target rows").isPositive();
        String oneCopy = " WHERE ctid = (SELECT ctid FROM log WHERE kind = 'k1' AND n = 1 LIMIT 1)";
        s.execute("INSERT INTO log VALUES ('k1', 1), ('k1', 1), (NULL, NULL), (NULL, NULL)");
        s.execute("DELETE FROM log" + oneCopy);
        s.execute("UPDATE log SET n = 100" + oneCopy);
        s.execute("DELETE FROM log WHERE ctid = (SELECT ctid FROM log WHERE kind IS NULL LIMIT 1)");
        // Every copy at once, and a change that moves rows between duplicate groups.
        s.execute("UPDATE log SET n = n + 1 WHERE kind = 'k2'");
        s.execute("DELETE FROM log WHERE kind = 'k3' AND n = 3");
        s.execute("INSERT INTO tags VALUES ('k1'), ('k1'), ('k4')");
        s.execute("DELETE FROM tags WHERE ctid = (SELECT ctid FROM tags WHERE t_kind = 'k2' LIMIT 1)");
        c.setAutoCommit(false);
        for (int i = 0; i < 30; i++) {
          s.execute("INSERT INTO log VALUES ('k" + (i % 4) + "', " + (i % 3) + ")");
          s.execute("UPDATE log SET n = n - 1 WHERE ctid = (SELECT ctid FROM log WHERE kind = 'k"
              + (i % 5) + "' LIMIT 1)");
          if (i % 3 == 0) {
            s.execute("DELETE FROM log WHERE ctid = (SELECT ctid FROM log WHERE n = " + (i % 7)
                + " LIMIT 1)");
          }
          c.commit();
        }
        c.setAutoCommit(true);
      }
      assertThat(Freshness.await(c, Duration.ofSeconds(180))).as("after the workload").isNull();
      checkOracle(c, "after duplicate inserts, single-copy deletes and updates");
    }
  }

  private static long count(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void checkOracle(Connection c, String when) throws Exception {
    for (Deployment.Deployed d : deployment.deployed()) {
      Oracle.Result r = Oracle.check(c, d.definition().name(), d.names().targetTable(),
          d.definition().selectSql(), d.plan().columns());
      assertThat(r.ok()).as(when + ": " + r.summary()).isTrue();
      assertThat(r.tableRows()).as(when + ": " + d.definition().name() + " is not trivially empty")
          .isPositive();
      try (Statement s = c.createStatement()) {
        assertThat(count(s, "SELECT count(*) FROM " + d.names().targetTable()))
            .as(when + ": " + d.definition().name() + " has as many physical rows as its query returns")
            .isEqualTo(count(s, "SELECT count(*) FROM (" + d.definition().selectSql() + ") q"));
      }
    }
  }
}
