package io.trickle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.cli.runtime.Deployment;
import io.trickle.cli.runtime.StreamTableNames;
import io.trickle.connectors.rest.ConnectRestClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Exactly-once across restarts of the sink task, the Connect worker (Debezium and the sinks) and
 * the Kafka Streams applications, under an insert-only load:
 * <ul>
 *   <li>a change processed twice would double a sum or a row count: the oracle catches it;
 *   <li>an epoch applied twice after a restart would make a reader see counts go backwards;
 *   <li>the sink's cumulative {@code epochs_applied} must equal the number of committed markers
 *       up to its {@code applied_offset}: every epoch counted once, none re-applied.
 * </ul>
 */
class ExactlyOnceIT {
  private static final Logger LOG = LoggerFactory.getLogger(ExactlyOnceIT.class);
  private static final String[] DEFINITIONS = {
      "CREATE STREAM TABLE ledger_sums AS SELECT acct, sum(amount) AS total, count(*) AS n FROM ledger GROUP BY acct",
      "CREATE STREAM TABLE ledger_rows AS SELECT acct, amount FROM ledger",
  };

  @TempDir
  static Path dir;

  static ItStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = ItStack.start(dir,
        "CREATE TABLE ledger (id bigserial PRIMARY KEY, acct int NOT NULL, amount int NOT NULL)",
        "INSERT INTO ledger (acct, amount) SELECT 1 + i % 10, 1 + i % 20 FROM generate_series(1, 200) i");
    stack.deploy(DEFINITIONS);
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void noChangeOrEpochIsAppliedTwiceAcrossRestarts() throws Exception {
    AtomicLong inserts = new AtomicLong();
    AtomicLong reads = new AtomicLong();
    List<String> regressions = Collections.synchronizedList(new ArrayList<>());
    long t0 = System.nanoTime();
    try (Connection c = stack.connection()) {
      stack.awaitFresh(c, "after the initial load");
      stack.assertOracle(c, "after the initial load");
      ConnectRestClient connect = new ConnectRestClient(stack.connect.restUrl());
      String sumsSink = sinkOf("ledger_sums");
      String rowsSink = sinkOf("ledger_rows");
      try (LoadThreads reader = new LoadThreads(stack.pg.jdbcUrl())) {
        Map<Integer, Long> lastCounts = new HashMap<>();
        long[] lastRows = {0};
        reader.start("ledger-reader", true, r -> read(r, lastCounts, lastRows, reads, regressions));
        try (LoadThreads writers = new LoadThreads(stack.pg.jdbcUrl())) {
          for (int i = 0; i < 2; i++) {
            writers.start("ledger-writer-" + i, false, w -> insert(w, inserts));
          }
          pause(4);
          LOG.info("restarting the sink of ledger_sums");
          connect.restart(sumsSink, true, false);
          connect.awaitRunning(sumsSink, Duration.ofSeconds(60));
          pause(4);
          LOG.info("restarting both sinks");
          connect.restart(sumsSink, true, false);
          connect.restart(rowsSink, true, false);
          connect.awaitRunning(sumsSink, Duration.ofSeconds(60));
          connect.awaitRunning(rowsSink, Duration.ofSeconds(60));
          pause(4);
          LOG.info("restarting the Connect worker (Debezium and both sinks)");
          stack.restartConnect();
          pause(6);
          LOG.info("restarting the Kafka Streams applications");
          stack.deployment.close();
          stack.deploy(DEFINITIONS);
          pause(4);
          LOG.info("restarting the sink of ledger_rows");
          connect.restart(rowsSink, true, false);
          pause(4);
          writers.close();
          assertThat(writers.failures()).as("writer threads that failed").isEmpty();
        }
        stack.awaitFresh(c, "after the restarts");
        reader.close();
        assertThat(reader.failures()).as("the reader thread failed").isEmpty();
      }
      LOG.info("changes topic: {}", ChangesTopicScan.scan(stack.kafka.bootstrapServers(),
          StreamTableNames.changesTopic(stack.pg)));
      assertThat(inserts.get()).as("ledger rows inserted").isGreaterThan(500);
      stack.assertOracle(c, "after the restarts");
      assertThat(regressions).as("reads where a count went backwards (an old epoch re-applied), of "
          + reads.get()).isEmpty();
      for (Deployment.Deployed d : stack.deployment.deployed()) {
        assertEpochsCountedOnce(c, d);
      }
      LOG.info("exactly-once: {} rows inserted, {} reads, {} s", inserts.get(), reads.get(),
          TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));
    }
  }

  private static String sinkOf(String streamTable) {
    for (Deployment.Deployed d : stack.deployment.deployed()) {
      if (d.definition().name().equals(streamTable)) {
        return d.names().sinkConnector();
      }
    }
    throw new IllegalArgumentException(streamTable);
  }

  /** The sink counts each marker it applies; a replayed epoch would be counted again. */
  private static void assertEpochsCountedOnce(Connection c, Deployment.Deployed d) throws Exception {
    try (PreparedStatement ps = c.prepareStatement("SELECT applied_offset, epochs_applied, changes_applied"
        + " FROM trickle.stream_tables WHERE name = ?")) {
      ps.setString(1, d.definition().name());
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("catalog row of " + d.definition().name()).isTrue();
        long appliedOffset = rs.getLong(1);
        long epochs = rs.getLong(2);
        long markers = OutputTopicScan.markersUpTo(stack.kafka.bootstrapServers(), d.names().outputTopic(),
            appliedOffset);
        LOG.info("{}: {} epochs and {} row changes applied up to offset {}; {} committed markers in the topic",
            d.definition().name(), epochs, rs.getLong(3), appliedOffset, markers);
        // The broker's 64 MiB segments never roll here, so compaction has removed no marker.
        assertThat(epochs).as(d.definition().name() + ": epochs applied vs committed markers up to offset "
            + appliedOffset).isEqualTo(markers);
      }
    }
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
    Thread.sleep(r.nextLong(21));
  }

  /** Insert-only: per account the count, and the total multiplicity of the row table, only grow. */
  private static void read(Connection c, Map<Integer, Long> lastCounts, long[] lastRows, AtomicLong reads,
      List<String> regressions) throws Exception {
    long read = reads.incrementAndGet();
    try (Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT acct, n FROM ledger_sums")) {
        while (rs.next()) {
          int acct = rs.getInt(1);
          long n = rs.getLong(2);
          Long before = lastCounts.put(acct, n);
          if (before != null && n < before) {
            regression(regressions, "read " + read + ": ledger_sums n of acct " + acct + " went from " + before + " to " + n);
          }
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM ledger_rows")) {
        rs.next();
        long rows = rs.getLong(1);
        if (rows < lastRows[0]) {
          regression(regressions, "read " + read + ": ledger_rows went from " + lastRows[0] + " to " + rows + " rows");
        }
        lastRows[0] = rows;
      }
    }
  }

  private static void regression(List<String> regressions, String what) {
    LOG.error("regression: {}", what);
    if (regressions.size() < 50) {
      regressions.add(what);
    }
  }

  private static void pause(long seconds) throws InterruptedException {
    TimeUnit.SECONDS.sleep(seconds); // spacing between disruptions under load, not a synchronisation
  }
}
