package io.trickle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.cli.runtime.Backoff;
import io.trickle.cli.runtime.Deployment;
import io.trickle.cli.runtime.Freshness;
import io.trickle.cli.runtime.Supervisor;
import io.trickle.connectors.rest.ConnectRestClient;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures of a sink's target on real servers. A target that cannot be written (SQLSTATE class
 * 42) puts its stream table in error with PostgreSQL's message while the others keep running;
 * once fixed, the supervisor's restart of the failed sink task brings it back to running. A
 * target dropped and recreated by a restart of the deployment is rebuilt from its output topic.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SinkRecoveryIT {
  @TempDir
  static Path dir;

  static ItStack stack;

  static final String[] DEFINITIONS = {
      "CREATE STREAM TABLE st_items AS SELECT id, g, v FROM items WHERE v >= 0",
      "CREATE STREAM TABLE st_groups AS SELECT g, count(*) AS n, sum(v) AS s FROM items GROUP BY g",
  };

  static final Supervisor.Settings FAST = new Supervisor.Settings(Duration.ofMillis(500),
      new Backoff(Duration.ofMillis(500), Duration.ofSeconds(4)), Duration.ofSeconds(3));

  @BeforeAll
  static void start() throws Exception {
    stack = ItStack.start(dir,
        "CREATE TABLE items (id int PRIMARY KEY, g int NOT NULL, v int NOT NULL)",
        "INSERT INTO items SELECT i, i % 7, i % 100 FROM generate_series(1, 1000) i");
    deploy();
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  static void deploy() throws Exception {
    stack.deployment = new Deployment(stack.options(), new PrintStream(OutputStream.nullOutputStream()));
    stack.deployment.supervisorSettings(FAST);
    stack.deployment.deploy(ItStack.parse(DEFINITIONS));
    assertThat(stack.deployment.failed()).as("stream tables that failed to deploy").isEmpty();
  }

  @Test
  @Order(1)
  void aTargetThatCannotBeWrittenIsAnErrorUntilFixedAndTheOthersKeepRunning() throws Exception {
    try (Connection c = stack.connection(); Statement s = c.createStatement()) {
      stack.awaitFresh(c, "after the initial load");
      stack.assertOracle(c, "after the initial load");

      s.execute("ALTER TABLE st_items RENAME TO st_items_away"); // 42P01 for the sink
      s.execute("UPDATE items SET v = v + 1 WHERE id % 10 = 0");
      String error = awaitStatus(c, "st_items", "error");
      assertThat(error).as("the error of st_items names PostgreSQL's reason").contains("does not exist");
      assertThat(Main.execute("status", "--pg", stack.pg.jdbcUrl())).as("status exit code with an error").isEqualTo(2);
      assertThat(Freshness.await(c, Duration.ofSeconds(30))).as("wait while st_items is in error")
          .contains("st_items is in error").contains("does not exist");

      // The other stream table goes on: it reflects the changes made after the failure.
      s.execute("UPDATE items SET v = v + 1 WHERE id % 10 = 1");
      String lsn = currentLsn(c);
      awaitReflected(c, "st_groups", lsn);
      assertThat(awaitStatus(c, "st_groups", "running")).as("st_groups has no error").isNull();
      ItStack.assertOracle(c, stack.deployment.deployed().stream()
          .filter(d -> d.definition().name().equals("st_groups")).findFirst().orElseThrow(), "while st_items fails");

      s.execute("ALTER TABLE st_items_away RENAME TO st_items"); // fixed
      // Only a restart of the failed sink task (the supervisor's) can bring it back.
      assertThat(awaitStatus(c, "st_items", "running")).as("st_items has no error after the fix").isNull();
      stack.awaitFresh(c, "after the target was fixed");
      stack.assertOracle(c, "after the target was fixed");
      assertThat(new ConnectRestClient(stack.connect.restUrl()).status("trickle-sink-st_items").running())
          .as("the sink of st_items runs again").isTrue();
    }
  }

  @Test
  @Order(2)
  void aDroppedTargetIsRebuiltCompleteWhenTheDeploymentRestarts() throws Exception {
    try (Connection c = stack.connection(); Statement s = c.createStatement()) {
      s.execute("ALTER TABLE IF EXISTS st_items_away RENAME TO st_items"); // if the test before failed midway
      stack.awaitFresh(c, "before the drop");
      s.execute("DROP TABLE st_items");
      s.execute("INSERT INTO items SELECT i, i % 7, i % 100 FROM generate_series(1001, 1100) i");
      s.execute("DELETE FROM items WHERE id % 13 = 0");
      stack.deployment.close();
      deploy(); // recreates st_items empty: the sink must rebuild it from the output topic
      stack.awaitFresh(c, "after the restart");
      stack.assertOracle(c, "after the restart");
      s.execute("UPDATE items SET v = v + 3 WHERE id % 5 = 0");
      stack.awaitFresh(c, "after changes following the restart");
      stack.assertOracle(c, "after changes following the restart");
    }
  }

  /** Polls until the stream table has that status; returns its error message. */
  private static String awaitStatus(Connection c, String name, String status) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      try (PreparedStatement ps = c.prepareStatement("SELECT status, error FROM trickle.stream_tables WHERE name = ?")) {
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next() && status.equals(rs.getString(1))) {
            return rs.getString(2);
          }
        }
      }
      assertThat(System.nanoTime()).as(name + " reaching status " + status + " within 120 s").isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  private static void awaitReflected(Connection c, String name, String lsn) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(reflected_lsn >= CAST(? AS pg_lsn), false)"
          + " FROM trickle.stream_tables WHERE name = ?")) {
        ps.setString(1, lsn);
        ps.setString(2, name);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next() && rs.getBoolean(1)) {
            return;
          }
        }
      }
      assertThat(System.nanoTime()).as(name + " reflecting " + lsn + " within 120 s").isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  private static String currentLsn(Connection c) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
