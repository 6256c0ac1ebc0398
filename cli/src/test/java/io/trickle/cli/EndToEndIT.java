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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path on real servers: PostgreSQL 18 with logical decoding, a KRaft broker, a Connect
 * worker running Debezium and the trickle sink, and one Kafka Streams application per stream
 * table. A mixed workload runs, {@code wait} returns, and the oracle must hold for every table.
 */
class EndToEndIT {
  @TempDir
  static Path dir;

  static EmbeddedPostgresServer pgServer;
  static PgUrl pg;
  static Stack stack;
  static Deployment deployment;

  static final String[] DEFINITIONS = {
      "CREATE STREAM TABLE dept_stats AS SELECT d.name AS dept, count(*) AS employees,"
          + " sum(e.salary) AS payroll, avg(e.salary) AS avg_salary, min(e.salary) AS lowest,"
          + " max(e.salary) AS highest, count(e.bonus) AS with_bonus"
          + " FROM emp e JOIN dept d ON d.id = e.dept_id GROUP BY d.name",
      "CREATE STREAM TABLE emp_city AS SELECT e.id, e.name, d.name AS dept, l.city"
          + " FROM emp e, dept d, loc l WHERE e.dept_id = d.id AND d.loc_id = l.id AND e.salary > 1000",
      "CREATE STREAM TABLE totals AS SELECT count(*) AS n, sum(salary) AS payroll,"
          + " min(hired) AS first_hire, max(name) AS last_name FROM emp",
      "CREATE STREAM TABLE bands AS SELECT CASE WHEN salary >= 5000 THEN 'high' WHEN salary >= 2000"
          + " THEN 'mid' ELSE 'low' END AS band, count(*) AS n, sum(coalesce(bonus, 0)) AS bonuses"
          + " FROM emp WHERE dept_id IN (1, 2, 3, 4) GROUP BY 1 HAVING count(*) > 1",
      "CREATE STREAM TABLE broken AS SELECT id, random() AS r FROM emp",
  };

  @BeforeAll
  static void start() throws Exception {
    pgServer = EmbeddedPostgresServer.start(dir.resolve("pg"));
    pg = PgUrl.parse(pgServer.jdbcUrl());
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl()); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE loc (id int PRIMARY KEY, city text NOT NULL)");
      s.execute("CREATE TABLE dept (id int PRIMARY KEY, name text NOT NULL, loc_id int)");
      s.execute("CREATE TABLE emp (id bigint PRIMARY KEY, name text NOT NULL, dept_id int,"
          + " salary numeric(10,2) NOT NULL, bonus integer, hired date NOT NULL, notes text)");
      s.execute("INSERT INTO loc SELECT i, 'city ' || i FROM generate_series(1, 4) i");
      s.execute("INSERT INTO dept SELECT i, 'dept ' || i, 1 + i % 4 FROM generate_series(1, 6) i");
      s.execute("INSERT INTO emp SELECT i, 'emp ' || i, 1 + i % 6, 500 + (i * 37) % 6000,"
          + " CASE WHEN i % 3 = 0 THEN NULL ELSE i % 500 END, date '2020-01-01' + i,"
          + " repeat('x', 3000) FROM generate_series(1, 300) i");
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
  void mixedWorkloadConvergesToTheQuery() throws Exception {
    assertThat(deployment.failed()).as("only the volatile definition fails").containsOnlyKeys("broken");
    assertThat(deployment.failed().get("broken")).contains("random");
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl())) {
      String failure = Freshness.await(c, Duration.ofSeconds(120));
      assertThat(failure).as("wait reports the failed definition").contains("broken").contains("random");
      try (Statement s = c.createStatement()) {
        s.execute("DELETE FROM trickle.stream_tables WHERE name = 'broken'");
      }
      assertThat(Freshness.await(c, Duration.ofSeconds(120))).as("initial load").isNull();
      checkOracle(c, "after the initial load");

      Random r = new Random(11);
      c.setAutoCommit(false);
      long nextId = 1000;
      try (Statement s = c.createStatement()) {
        for (int i = 0; i < 300; i++) {
          switch (r.nextInt(8)) {
            case 0 -> s.execute("INSERT INTO emp VALUES (" + nextId++ + ", 'new " + i + "', " + (1 + r.nextInt(7))
                + ", " + (100 + r.nextInt(8000)) + ", " + (r.nextBoolean() ? "NULL" : r.nextInt(300)) + ", date '2024-01-01' + " + i + ", 'n')");
            case 1 -> s.execute("UPDATE emp SET salary = salary + " + (r.nextInt(2000) - 1000) + " WHERE id = " + pick(s));
            case 2 -> s.execute("UPDATE emp SET dept_id = " + (1 + r.nextInt(6)) + " WHERE id = " + pick(s));
            case 3 -> s.execute("UPDATE emp SET id = " + nextId++ + " WHERE id = " + pick(s));
            case 4 -> s.execute("DELETE FROM emp WHERE id = " + pick(s));
            case 5 -> s.execute("UPDATE dept SET loc_id = " + (1 + r.nextInt(4)) + ", name = 'dept " + r.nextInt(4) + "' WHERE id = " + (1 + r.nextInt(6)));
            case 6 -> s.execute("DELETE FROM emp WHERE salary = (SELECT min(salary) FROM emp)");
            default -> s.execute("UPDATE emp SET bonus = NULL, name = name || '!' WHERE id = " + pick(s));
          }
          c.commit();
        }
        s.execute("TRUNCATE loc");
        s.execute("INSERT INTO loc SELECT i, 'town ' || i FROM generate_series(2, 5) i");
        c.commit();
        for (int i = 0; i < 20; i++) {
          s.execute("INSERT INTO emp VALUES (" + nextId++ + ", 'late " + i + "', 2, " + (1500 + i) + ", 1, date '2025-01-01', 'x')");
        }
        c.commit();
      }
      c.setAutoCommit(true);
      // `trickle wait` is exact: the moment it returns, every stream table equals its query.
      assertThat(Main.execute("wait", "--pg", pg.jdbcUrl(), "--timeout", "120s")).as("trickle wait exit code").isZero();
      checkOracle(c, "right after trickle wait, following inserts, updates, key changes, deletes and a TRUNCATE");
      assertThat(Main.execute("status", "--pg", pg.jdbcUrl())).as("trickle status exit code").isZero();
      assertThat(trickleMetricTotal("replayed-changes-skipped-total"))
          .as("no change of an uninterrupted Debezium stream is taken for a replay").isZero();
      assertThat(trickleMetricTotal("changes-processed-total"))
          .as("the metrics read are the running applications' (a check that can fail)").isPositive();
    }
  }

  /** Sum of one attribute over every trickle sensor of the applications in this JVM. */
  private static double trickleMetricTotal(String attribute) throws Exception {
    javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
    double total = 0;
    for (javax.management.ObjectName name : server.queryNames(
        new javax.management.ObjectName("kafka.streams:type=stream-trickle-metrics,*"), null)) {
      try {
        Object v = server.getAttribute(name, attribute);
        if (v instanceof Number n && !Double.isNaN(n.doubleValue())) {
          total += n.doubleValue();
        }
      } catch (javax.management.AttributeNotFoundException e) {
        // another sensor of the same processor
      }
    }
    return total;
  }

  private static long pick(Statement s) throws Exception {
    try (ResultSet rs = s.executeQuery("SELECT id FROM emp ORDER BY random() LIMIT 1")) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  private static void checkOracle(Connection c, String when) throws Exception {
    for (Deployment.Deployed d : deployment.deployed()) {
      if (deployment.failed().containsKey(d.definition().name())) {
        continue;
      }
      Oracle.Result r = Oracle.check(c, d.definition().name(), d.names().targetTable(),
          d.definition().selectSql(), d.plan().columns());
      assertThat(r.ok()).as(when + ": " + r.summary()).isTrue();
      assertThat(r.tableRows()).as(when + ": " + d.definition().name() + " is not trivially empty").isPositive();
    }
  }
}
