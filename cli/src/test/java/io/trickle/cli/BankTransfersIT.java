package io.trickle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.cli.runtime.StreamTableNames;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transaction consistency under concurrency: writers move money between accounts in concurrent
 * transactions while a reader polls the stream tables. Every state the reader sees must be the
 * state at some source commit boundary, so the total never differs from the constant.
 */
class BankTransfersIT {
  private static final Logger LOG = LoggerFactory.getLogger(BankTransfersIT.class);
  private static final long LOAD_SECONDS = Long.getLong("trickle.bank.seconds", 30);

  @TempDir
  static Path dir;

  static ItStack stack;

  @BeforeAll
  static void start() throws Exception {
    // Sums over four tasks per stage; -Dtrickle.bank.partitions=N for another P.
    stack = ItStack.start(dir, BankWorkload.SETUP).partitions(Integer.getInteger("trickle.bank.partitions", 4));
    stack.deploy(BankWorkload.DEFINITIONS);
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void readersNeverSeeAHalfAppliedTransfer() throws Exception {
    try (Connection c = stack.connection(); BankWorkload bank = new BankWorkload(stack.pg.jdbcUrl())) {
      stack.awaitFresh(c, "after the initial load");
      stack.assertOracle(c, "after the initial load");

      long t0 = System.nanoTime();
      bank.startReader();
      bank.startWriters(4, 10);
      TimeUnit.SECONDS.sleep(LOAD_SECONDS); // the load's duration, not a synchronisation
      bank.stopWriters();
      stack.awaitFresh(c, "after the transfers");
      bank.close();
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);

      LOG.info("bank: {} transfers committed, {} reads of both stream tables ({} distinct LSN pairs seen,"
          + " {} read errors) in {} s", bank.transfers(), bank.reads(), bank.statesSeen(), bank.readErrors(), seconds);
      LOG.info("changes topic: {}", ChangesTopicScan.scan(stack.kafka.bootstrapServers(),
          StreamTableNames.changesTopic(stack.pg)));
      assertThat(bank.failures()).as("writer or reader threads that failed").isEmpty();
      assertThat(BankWorkload.sourceTotal(c)).as("the source total (the workload keeps it constant)")
          .isEqualByComparingTo(BankWorkload.TOTAL);
      assertThat(bank.transfers()).as("transfers committed").isGreaterThan(500);
      assertThat(bank.statesSeen()).as("distinct stream-table states the reader observed"
          + " (fewer would make the check vacuous)").isGreaterThan(50);
      assertThat(bank.violations()).as("reads that saw a total other than " + BankWorkload.TOTAL
          + " out of " + bank.reads()).isEmpty();
      stack.assertOracle(c, "after the transfers");
    }
  }
}
