package io.trickle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.cli.runtime.Catalog;
import io.trickle.cli.runtime.Deployment;
import io.trickle.cli.runtime.Freshness;
import io.trickle.cli.runtime.PgUrl;
import io.trickle.compiler.parse.StreamTableDefinition;
import io.trickle.connectors.rest.ConnectRestClient;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trickle wait} called in the same instant as {@code trickle run} starts, against a fresh
 * database each time: it must wait through the start (no {@code trickle} schema, definitions
 * compiling, tables not loaded) and return 0 only when every stream table exists and equals its
 * query. The deployment runs in-process, as {@code RunCommand} runs it.
 */
class WaitDuringStartupIT {
  @TempDir
  static Path dir;

  static ItStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = ItStack.start(dir);
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @RepeatedTest(3)
  void waitRightAfterRunReturnsOnlyWhenEveryStreamTableIsCurrent(RepetitionInfo rep) throws Exception {
    int n = rep.getCurrentRepetition();
    String database = "wait_" + n;
    try (Connection admin = stack.connection(); Statement s = admin.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    }
    PgUrl pg = PgUrl.parse(stack.pgServer.jdbcUrl(database));
    String[] definitions = {
        "CREATE STREAM TABLE acc_total_" + n + " AS SELECT sum(v) AS total, count(*) AS n FROM acc",
        "CREATE STREAM TABLE acc_big_" + n + " AS SELECT id, v FROM acc WHERE v > 10",
    };
    List<StreamTableDefinition> defs = ItStack.parse(definitions);
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl()); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE acc (id int PRIMARY KEY, v int NOT NULL)");
      s.execute("INSERT INTO acc SELECT i, i % 50 FROM generate_series(1, 2000) i");

      Deployment deployment = new Deployment(new Deployment.Options(pg, stack.kafka.bootstrapServers(),
          stack.connect.restUrl(), dir.resolve("state-" + n), true, 300),
          new PrintStream(OutputStream.nullOutputStream()));
      CyclicBarrier together = new CyclicBarrier(2);
      try {
        CompletableFuture<Void> run = CompletableFuture.runAsync(() -> {
          try {
            together.await();
            deployment.deploy(defs);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        together.await();
        int exit = Main.execute("wait", "--pg", pg.jdbcUrl(), "--timeout", "240s");
        if (run.isCompletedExceptionally()) {
          run.join(); // the deployment's own failure explains the wait's
        }
        assertThat(exit).as("trickle wait started with trickle run (repetition " + n + ")").isZero();
        // Right after wait returned, as a script's next statement would read it.
        stack.assertOracle(c, defs, "right after wait returned (repetition " + n + ")");
        run.get(120, TimeUnit.SECONDS);
        assertThat(deployment.failed()).as("stream tables that failed to deploy").isEmpty();
      } finally {
        deployment.close();
        ConnectRestClient connect = new ConnectRestClient(stack.connect.restUrl());
        for (String connector : connect.connectors()) {
          connect.delete(connector); // the next repetition starts from nothing again
        }
      }
    }
  }

  @Test
  void waitWithoutADeploymentTimesOutAndSaysWhatItWaitedFor() throws Exception {
    try (Connection admin = stack.connection(); Statement s = admin.createStatement()) {
      s.execute("CREATE DATABASE wait_nothing");
    }
    try (Connection c = DriverManager.getConnection(stack.pgServer.jdbcUrl("wait_nothing"))) {
      String failure = Freshness.await(c, Duration.ofSeconds(2));
      assertThat(failure).as("wait in a database where trickle never ran")
          .contains("timed out").contains("schema trickle is missing");
      io.trickle.connectors.ddl.TrickleSchema.ensure(c);
      failure = Freshness.await(c, Duration.ofSeconds(2));
      assertThat(failure).as("wait in a database with an empty trickle schema")
          .contains("timed out").contains("no stream table is registered yet");
      // A definitions file that run could not parse is an error too, not silently skipped.
      Catalog.recordUnreadable(c, Map.of(Path.of("defs", "bad.sql"), "syntax error at line 1"));
      assertThat(Freshness.await(c, Duration.ofSeconds(2))).as("wait with an unreadable definitions file")
          .contains("file:bad.sql is in error").contains("syntax error at line 1");
      Catalog.recordUnreadable(c, Map.of()); // the next run could read it
      assertThat(Freshness.await(c, Duration.ofSeconds(2))).as("wait once the file is fixed")
          .contains("no stream table is registered yet");
    }
  }
}
