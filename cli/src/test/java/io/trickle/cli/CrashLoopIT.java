package io.trickle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.compiler.parse.StreamTableDefinition;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash safety: {@code trickle run} runs as a child process (the Kafka Streams applications),
 * PostgreSQL, the broker and the Connect worker (Debezium and the sinks) in this JVM. Under a
 * continuous load of transfers and inserts the child is killed with SIGKILL at random moments
 * and restarted, the Connect worker is restarted once and the broker once. A reader checks the
 * bank invariant throughout; at the end every stream table must equal its query.
 *
 * <p>{@code -Dtrickle.crashloop.kills=50} runs the long variant (default 10).
 */
class CrashLoopIT {
  private static final Logger LOG = LoggerFactory.getLogger(CrashLoopIT.class);
  private static final int KILLS = Integer.getInteger("trickle.crashloop.kills", 10);
  private static final String[] DEFINITIONS = {
      BankWorkload.DEFINITIONS[0],
      BankWorkload.DEFINITIONS[1],
      "CREATE STREAM TABLE ledger_sums AS SELECT acct, sum(amount) AS total, count(*) AS n FROM ledger GROUP BY acct",
      // No unique key: rows are keyed by a hash and carry their multiplicity in __trickle_count.
      "CREATE STREAM TABLE ledger_rows AS SELECT acct, amount FROM ledger",
  };

  @TempDir
  static Path dir;

  static ItStack stack;
  static Path definitions;

  @BeforeAll
  static void start() throws Exception {
    List<String> setup = new ArrayList<>(List.of(BankWorkload.SETUP));
    setup.add("CREATE TABLE ledger (id bigserial PRIMARY KEY, acct int NOT NULL, amount int NOT NULL)");
    setup.add("INSERT INTO ledger (acct, amount) SELECT 1 + i % 10, 1 + i % 20 FROM generate_series(1, 200) i");
    stack = ItStack.start(dir, setup.toArray(String[]::new));
    definitions = Files.createDirectories(dir.resolve("definitions"));
    Files.deleteIfExists(childLog());
    for (String d : DEFINITIONS) {
      StreamTableDefinition def = ItStack.parse(d).get(0);
      Files.writeString(definitions.resolve(def.name() + ".sql"), d + ";\n");
    }
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void killsRestartsAndServerRestartsLoseAndDuplicateNothing() throws Exception {
    long t0 = System.nanoTime();
    Random random = new Random(Long.getLong("trickle.crashloop.seed", System.nanoTime()));
    AtomicLong inserts = new AtomicLong();
    Process child = startChild();
    try (Connection c = stack.connection(); BankWorkload bank = new BankWorkload(stack.pg.jdbcUrl())) {
      stack.awaitFresh(c, "after the initial load");
      stack.assertOracle(c, ItStack.parse(DEFINITIONS), "after the initial load");
      bank.startReader();
      bank.startWriters(3, 20);
      try (LoadThreads ledger = new LoadThreads(stack.pg.jdbcUrl())) {
        ledger.start("ledger-writer", false, w -> insert(w, inserts));
        for (int kill = 1; kill <= KILLS; kill++) {
          long upMs = 3_000 + random.nextInt(17_000);
          TimeUnit.MILLISECONDS.sleep(upMs); // a random moment: during start-up, deployment or processing
          assertThat(child.isAlive()).as("trickle run exits only when killed (see " + childLog() + ")").isTrue();
          child.destroyForcibly().waitFor();
          LOG.info("kill {}/{}: SIGKILL after {} ms", kill, KILLS, upMs);
          if (kill == KILLS / 3) {
            LOG.info("restarting the broker while trickle run is down");
            stack.restartKafka();
          }
          child = startChild();
          if (kill == 2 * KILLS / 3) {
            LOG.info("restarting the Connect worker (Debezium and the sinks)");
            stack.restartConnect();
          }
        }
        bank.stopWriters();
        ledger.close();
        assertThat(ledger.failures()).as("the ledger writer failed").isEmpty();
      }
      stack.awaitFresh(c, "after " + KILLS + " kills");
      bank.close();
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
      LOG.info("crash loop: {} kills, {} transfers, {} ledger inserts, {} bank reads ({} distinct states,"
          + " {} read errors) in {} s", KILLS, bank.transfers(), inserts.get(), bank.reads(), bank.statesSeen(),
          bank.readErrors(), seconds);
      LOG.info("changes topic: {}", ChangesTopicScan.scan(stack.kafka.bootstrapServers(),
          io.trickle.cli.runtime.StreamTableNames.changesTopic(stack.pg)));
      assertThat(bank.failures()).as("bank writer or reader threads that failed").isEmpty();
      assertThat(BankWorkload.sourceTotal(c)).as("the source total").isEqualByComparingTo(BankWorkload.TOTAL);
      assertThat(bank.violations()).as("reads that saw a total other than " + BankWorkload.TOTAL + ", of "
          + bank.reads() + " across " + KILLS + " kills").isEmpty();
      stack.assertOracle(c, ItStack.parse(DEFINITIONS), "after " + KILLS + " kills");
      assertRowHashCounts(c);
    } finally {
      child.destroy();
      if (!child.waitFor(60, TimeUnit.SECONDS)) {
        child.destroyForcibly().waitFor();
      }
    }
  }

  /** Every row-hash row stands for at least one source row, and all of them for the whole ledger. */
  private static void assertRowHashCounts(Connection c) throws Exception {
    try (Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT (SELECT count(*) FROM ledger_rows WHERE __trickle_count < 1),"
            + " (SELECT sum(__trickle_count) FROM ledger_rows), (SELECT count(*) FROM ledger),"
            + " (SELECT count(*) FROM (SELECT acct, amount FROM ledger_rows GROUP BY 1, 2 HAVING count(*) > 1) d)")) {
      rs.next();
      assertThat(rs.getLong(1)).as("ledger_rows rows with a multiplicity below 1").isZero();
      assertThat(rs.getLong(2)).as("ledger_rows total multiplicity vs ledger rows").isEqualTo(rs.getLong(3));
      assertThat(rs.getLong(4)).as("ledger_rows values stored under two keys").isZero();
    }
  }

  private static Process startChild() throws Exception {
    Path target = Path.of(System.getProperty("basedir", ".")).resolve("target");
    String classpath = target.resolve("trickle-cli.jar") + File.pathSeparator + target.resolve("lib") + File.separator + "*";
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx768m", "-cp", classpath, "io.trickle.cli.Main", "run",
        "--pg", stack.pg.jdbcUrl(), "--definitions", definitions.toString(),
        "--kafka", stack.kafka.bootstrapServers(), "--connect", stack.connect.restUrl(),
        "--state-dir", dir.resolve("child-state").toString(), "--heartbeat", "300");
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(childLog().toFile()));
    return pb.start();
  }

  /** Kept under target/, not the temporary directory, so it outlives a failed run. */
  private static Path childLog() {
    return Path.of(System.getProperty("basedir", ".")).resolve("target").resolve("crashloop-trickle-run.log");
  }

  private static void insert(Connection c, AtomicLong inserts) throws Exception {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    int n = 1 + r.nextInt(5);
    try (Statement s = c.createStatement()) {
      for (int i = 0; i < n; i++) {
        s.executeUpdate("INSERT INTO ledger (acct, amount) VALUES (" + (1 + r.nextInt(10)) + ", "
            + (1 + r.nextInt(20)) + ")");
      }
    }
    c.commit();
    inserts.addAndGet(n);
    Thread.sleep(r.nextLong(41));
  }
}
