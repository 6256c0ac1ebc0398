package io.trickle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.cli.runtime.Freshness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
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
      // No unique key: each copy of a row is a row keyed by hash and ordinal (__trickle_key = hash:n).
      "CREATE STREAM TABLE ledger_rows AS SELECT acct, amount FROM ledger",
  };

  @TempDir
  static Path dir;

  static ItStack stack;
  static Path definitions;
  /** Where the current child's output starts in the log. */
  static long childLogMark;

  @BeforeAll
  static void start() throws Exception {
    List<String> setup = new ArrayList<>(List.of(BankWorkload.SETUP));
    setup.add("CREATE TABLE ledger (id bigserial PRIMARY KEY, acct int NOT NULL, amount int NOT NULL)");
    setup.add("INSERT INTO ledger (acct, amount) SELECT 1 + i % 10, 1 + i % 20 FROM generate_series(1, 200) i");
    stack = ItStack.start(dir, setup.toArray(String[]::new));
    Files.deleteIfExists(childLog());
    definitions = ItStack.writeDefinitions(dir.resolve("definitions"), DEFINITIONS);
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
    long seed = Long.getLong("trickle.crashloop.seed", System.nanoTime());
    LOG.info("crash loop: {} kills, seed {} (-Dtrickle.crashloop.seed={} repeats the timing)", KILLS, seed, seed);
    Random random = new Random(seed);
    AtomicLong inserts = new AtomicLong();
    Process child = startChild();
    try (Connection c = stack.connection(); BankWorkload bank = new BankWorkload(stack.pg.jdbcUrl())) {
      awaitRegistered(c, DEFINITIONS.length);
      stack.awaitFresh(c, "after the initial load");
      stack.assertOracle(c, ItStack.parse(DEFINITIONS), "after the initial load");
      bank.startReader();
      // A moderate load: the point is the crashes, and four applications share two cores here.
      bank.startWriters(2, 50);
      try (LoadThreads ledger = new LoadThreads(stack.pg.jdbcUrl())) {
        ledger.start("ledger-writer", false, w -> insert(w, inserts));
        for (int kill = 1; kill <= KILLS; kill++) {
          long upMs;
          if (kill % 2 == 1) {
            upMs = 2_000 + random.nextInt(10_000); // anywhere: start-up, deployment or processing
          } else {
            awaitReady(child);
            upMs = 500 + random.nextInt(7_500); // while the stream tables are running
          }
          TimeUnit.MILLISECONDS.sleep(upMs); // the random moment of the kill, not a synchronisation
          assertThat(child.isAlive()).as("trickle run exits only when killed (see " + childLog() + ")").isTrue();
          child.destroyForcibly().waitFor();
          LOG.info("kill {}/{}: SIGKILL {} ms {}", kill, KILLS, upMs, kill % 2 == 1 ? "after start" : "after deployment");
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
      // After the last kill each application restores its stores from changelogs before it catches up.
      assertThat(Freshness.await(c, Duration.ofSeconds(300))).as("wait after " + KILLS + " kills").isNull();
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

  /** The child creates the catalog; wait until all its stream tables have applied a first epoch. */
  private static void awaitRegistered(Connection c, int streamTables) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (true) {
      try (Statement s = c.createStatement();
          var rs = s.executeQuery("SELECT to_regclass('trickle.stream_tables') IS NOT NULL")) {
        rs.next();
        if (rs.getBoolean(1)) {
          try (var applied = s.executeQuery(
              "SELECT count(*) FROM trickle.stream_tables WHERE reflected_lsn IS NOT NULL")) {
            applied.next();
            if (applied.getLong(1) >= streamTables) {
              return;
            }
          }
        }
      }
      assertThat(System.nanoTime()).as("stream tables applying epochs within 300 s (see " + childLog() + ")")
          .isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  /**
   * One ledger_rows row per ledger row, and each value's copies numbered 1..n without gaps under
   * one hash (a lost or doubled copy after a crash would show as a gap or a second hash).
   */
  private static void assertRowHashCounts(Connection c) throws Exception {
    String copies = "SELECT acct, amount, split_part(__trickle_key, ':', 1) AS hash,"
        + " split_part(__trickle_key, ':', 2)::bigint AS ord FROM ledger_rows";
    try (Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT (SELECT count(*) FROM ledger_rows), (SELECT count(*) FROM ledger),"
            + " (SELECT count(*) FROM (SELECT hash FROM (" + copies + ") k GROUP BY hash"
            + "   HAVING max(ord) <> count(*) OR min(ord) <> 1 OR count(DISTINCT (acct, amount)) > 1) g),"
            + " (SELECT count(*) FROM (SELECT acct, amount FROM (" + copies + ") k GROUP BY 1, 2"
            + "   HAVING count(DISTINCT hash) > 1) d)")) {
      rs.next();
      assertThat(rs.getLong(1)).as("ledger_rows rows vs ledger rows").isEqualTo(rs.getLong(2));
      assertThat(rs.getLong(3)).as("row hashes whose copies are not numbered 1..n, or hold two values").isZero();
      assertThat(rs.getLong(4)).as("ledger_rows values stored under two hashes").isZero();
    }
  }

  /** Waits for the line {@code trickle run} prints once it has deployed every stream table. */
  private static void awaitReady(Process child) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (true) {
      String log = Files.readString(childLog());
      if (log.substring((int) Math.min(childLogMark, log.length())).contains("Ctrl-C stops.")) {
        return;
      }
      assertThat(child.isAlive()).as("trickle run is alive (see " + childLog() + ")").isTrue();
      assertThat(System.nanoTime()).as("trickle run deployed within 240 s (see " + childLog() + ")")
          .isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  private static Process startChild() throws Exception {
    childLogMark = Files.exists(childLog()) ? Files.readString(childLog()).length() : 0;
    // --partitions 4: crashes between tasks of several stages, exchanges in flight
    return stack.startTrickleRun(definitions, dir.resolve("child-state"), "768m", 4, childLog());
  }

  /** Kept under target/, not the temporary directory, so it outlives a failed run. */
  private static Path childLog() {
    return ItStack.targetFile("crashloop-trickle-run.log");
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
    Thread.sleep(r.nextLong(201));
  }
}
