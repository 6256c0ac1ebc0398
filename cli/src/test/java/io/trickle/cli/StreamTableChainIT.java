package io.trickle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.cli.runtime.Deployment;
import io.trickle.cli.runtime.Freshness;
import io.trickle.cli.runtime.Oracle;
import io.trickle.cli.runtime.PgUrl;
import io.trickle.cli.runtime.Stack;
import io.trickle.compiler.parse.DefinitionParser;
import io.trickle.compiler.parse.StreamTableDefinition;
import io.trickle.compiler.plan.SourceOp;
import io.trickle.connectors.embedded.EmbeddedPostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stream tables over stream tables on real servers: a diamond a → b, a → c, b + c → d, where a
 * reads a PostgreSQL table and b, c, d form a consistency group. Every workload transaction
 * changes both sides of a pair alike, so at every source commit b and c hold the same (pair, v)
 * rows and d is exactly their join with bv = cv. A concurrent reader checks that invariant, and
 * that b, c and d reflect the same LSN, in every snapshot it takes.
 */
class StreamTableChainIT {
  @TempDir
  static Path dir;

  static EmbeddedPostgresServer pgServer;
  static PgUrl pg;
  static Stack stack;
  static Deployment deployment;

  static final String[] DEFINITIONS = {
      "CREATE STREAM TABLE d WITH (consistency_group = 'g1') AS"
          + " SELECT b.pair, b.v AS bv, c.v AS cv FROM b JOIN c ON c.pair = b.pair",
      "CREATE STREAM TABLE b WITH (consistency_group = 'g1') AS SELECT pair, side, v FROM a WHERE side = 0",
      "CREATE STREAM TABLE c WITH (consistency_group = 'g1') AS SELECT pair, v FROM a WHERE side = 1",
      "CREATE STREAM TABLE a AS SELECT pair, side, v FROM pairs WHERE v >= 0",
      "CREATE STREAM TABLE x AS SELECT pair FROM y",
      "CREATE STREAM TABLE y AS SELECT pair FROM x",
  };

  /** d recomputed from the PostgreSQL table, bypassing a, b and c. */
  static final String D_FROM_PAIRS = "SELECT p0.pair, p0.v AS bv, p1.v AS cv FROM pairs p0"
      + " JOIN pairs p1 ON p1.pair = p0.pair WHERE p0.side = 0 AND p1.side = 1 AND p0.v >= 0 AND p1.v >= 0";

  @BeforeAll
  static void start() throws Exception {
    pgServer = EmbeddedPostgresServer.start(dir.resolve("pg"));
    pg = PgUrl.parse(pgServer.jdbcUrl());
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl()); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE pairs (pair int, side int, v bigint NOT NULL, PRIMARY KEY (pair, side))");
      s.execute("INSERT INTO pairs SELECT p, s, p FROM generate_series(1, 200) p, generate_series(0, 1) s");
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
  void aDiamondOfStreamTablesStaysConsistentAtEverySourceCommit() throws Exception {
    assertThat(deployment.failed()).as("only the cycle is rejected").containsOnlyKeys("x", "y");
    assertThat(deployment.failed().get("x")).as("the cycle is named")
        .startsWith("stream tables x -> y -> x form a cycle");
    Map<String, Deployment.Deployed> byName = deployment.deployed().stream()
        .collect(Collectors.toMap(d -> d.definition().name(), d -> d));
    assertThat(byName.get("d").plan().sources()).as("d reads b and c from their output topics")
        .extracting(SourceOp::upstream).containsExactlyInAnyOrder("b", "c");
    assertThat(byName.get("d").upstreamTopics()).containsOnlyKeys("b", "c");
    assertThat(byName.get("a").plan().sources()).extracting(SourceOp::upstream).containsOnlyNulls();

    try (Connection c = DriverManager.getConnection(pg.jdbcUrl())) {
      try (Statement s = c.createStatement()) {
        s.execute("DELETE FROM trickle.stream_tables WHERE name IN ('x', 'y')");
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_publication_tables"
            + " WHERE tablename IN ('a', 'b', 'c', 'd')")) {
          rs.next();
          assertThat(rs.getLong(1)).as("stream tables are never captured by Debezium").isZero();
        }
      }
      assertThat(Freshness.await(c, Duration.ofSeconds(180))).as("initial load").isNull();
      checkOracle(c, "after the initial load");

      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<String> violation = new AtomicReference<>();
      Set<String> statesSeen = new HashSet<>();
      Thread reader = new Thread(() -> readConsistently(stop, violation, statesSeen), "group-reader");
      reader.start();
      try {
        workload(c);
        assertThat(Freshness.await(c, Duration.ofSeconds(180))).as("after the workload").isNull();
      } finally {
        stop.set(true);
        reader.join(30_000);
      }
      assertThat(violation.get()).as("a reader saw b, c and d at different source commits").isNull();
      assertThat(statesSeen.size()).as("the reader saw the group move through several LSNs")
          .isGreaterThan(3);
      checkOracle(c, "after the workload");
    }
  }

  /** Both sides of a pair always change together, in one transaction. */
  private static void workload(Connection c) throws Exception {
    Random r = new Random(7);
    c.setAutoCommit(false);
    int nextPair = 1000;
    try (Statement s = c.createStatement()) {
      for (int i = 0; i < 300; i++) {
        int p = 1 + r.nextInt(200);
        switch (r.nextInt(6)) {
          case 0 -> s.execute("INSERT INTO pairs VALUES (" + nextPair + ", 0, " + i + "), (" + nextPair++ + ", 1, " + i + ")");
          case 1 -> s.execute("DELETE FROM pairs WHERE pair = " + p);
          case 2 -> s.execute("UPDATE pairs SET pair = " + nextPair++ + " WHERE pair = " + p);
          case 3 -> s.execute("UPDATE pairs SET v = " + (r.nextInt(20) - 5) + " WHERE pair = " + p);
          default -> {
            // Two statements in one transaction: each side alone would break the invariant.
            long v = r.nextInt(1000);
            s.execute("UPDATE pairs SET v = " + v + " WHERE pair = " + p + " AND side = 0");
            s.execute("UPDATE pairs SET v = " + v + " WHERE pair = " + p + " AND side = 1");
          }
        }
        c.commit();
        if (i % 25 == 0) {
          Thread.sleep(50); // let epochs flow while the reader watches
        }
      }
    }
    c.setAutoCommit(true);
  }

  private static void readConsistently(AtomicBoolean stop, AtomicReference<String> violation,
      Set<String> statesSeen) {
    String sql = "SELECT (SELECT count(*) FROM b), (SELECT count(*) FROM c), (SELECT count(*) FROM d),"
        + " (SELECT count(*) FROM b FULL JOIN c ON c.pair = b.pair WHERE b.v IS DISTINCT FROM c.v),"
        + " (SELECT count(*) FROM d WHERE bv <> cv),"
        + " (SELECT count(DISTINCT coalesce(reflected_lsn::text, '-')) FROM trickle.stream_tables"
        + "  WHERE name IN ('b', 'c', 'd')),"
        + " (SELECT min(reflected_lsn)::text FROM trickle.stream_tables WHERE name = 'b')";
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl())) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      while (!stop.get() && violation.get() == null) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
          rs.next();
          long b = rs.getLong(1);
          long cc = rs.getLong(2);
          long d = rs.getLong(3);
          long differ = rs.getLong(4);
          long dDiffer = rs.getLong(5);
          long lsns = rs.getLong(6);
          String state = "b=" + b + " c=" + cc + " d=" + d + " pairs differing=" + differ
              + " d rows with bv<>cv=" + dDiffer + " distinct LSNs of b,c,d=" + lsns + " at " + rs.getString(7);
          if (b != cc || b != d || differ != 0 || dDiffer != 0 || lsns != 1) {
            violation.set(state);
          }
          statesSeen.add(rs.getString(7));
        }
        c.commit();
        Thread.sleep(5);
      }
    } catch (Exception e) {
      violation.compareAndSet(null, "reader failed: " + e);
    }
  }

  private static void checkOracle(Connection c, String when) throws Exception {
    for (Deployment.Deployed d : deployment.deployed()) {
      Oracle.Result r = Oracle.check(c, d.definition().name(), d.names().targetTable(),
          d.definition().selectSql(), d.plan().columns());
      assertThat(r.ok()).as(when + ": " + r.summary()).isTrue();
      assertThat(r.tableRows()).as(when + ": " + d.definition().name() + " is not trivially empty").isPositive();
    }
    Deployment.Deployed d = byName("d");
    Oracle.Result fromPairs = Oracle.check(c, "d", d.names().targetTable(), D_FROM_PAIRS,
        d.plan().columns());
    assertThat(fromPairs.ok()).as(when + ": d equals the diamond recomputed from pairs: "
        + fromPairs.summary()).isTrue();
  }

  private static Deployment.Deployed byName(String name) {
    return deployment.deployed().stream().filter(x -> x.definition().name().equals(name)).findFirst()
        .orElseThrow();
  }
}
