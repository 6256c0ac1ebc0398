package io.trickle.cli;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bank transfers: concurrent transactions move money between accounts (and sometimes move an
 * account to another branch), so the total balance is constant in every committed state. A
 * reader polls the two stream tables over {@code accounts}; any total other than the constant is
 * a state no source transaction boundary ever had, i.e. a half-applied transaction.
 */
final class BankWorkload implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BankWorkload.class);
  static final int ACCOUNTS = 50;
  static final int BRANCHES = 5;
  static final BigDecimal TOTAL = new BigDecimal("50000.00");

  static final String[] SETUP = {
      "CREATE TABLE accounts (id int PRIMARY KEY, branch int NOT NULL, balance numeric(12,2) NOT NULL)",
      "INSERT INTO accounts SELECT i, 1 + i % " + BRANCHES + ", 1000.00 FROM generate_series(1, " + ACCOUNTS + ") i",
  };

  static final String[] DEFINITIONS = {
      "CREATE STREAM TABLE bank_total AS SELECT sum(balance) AS total, count(*) AS n FROM accounts",
      "CREATE STREAM TABLE bank_branches AS SELECT branch, sum(balance) AS total FROM accounts GROUP BY branch",
  };

  private final String jdbcUrl;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicBoolean writerStop = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();
  private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private final Set<String> statesSeen = Collections.synchronizedSet(new HashSet<>());
  private final AtomicLong transfers = new AtomicLong();
  private final AtomicLong reads = new AtomicLong();
  private final AtomicLong readErrors = new AtomicLong();

  BankWorkload(String jdbcUrl) {
    this.jdbcUrl = jdbcUrl;
  }

  /** Starts {@code writers} transfer threads, each pausing {@code pauseMs} between transactions. */
  void startWriters(int writers, long pauseMs) {
    for (int i = 0; i < writers; i++) {
      start("bank-writer-" + i, () -> write(pauseMs));
    }
  }

  void startReader() {
    start("bank-reader", this::read);
  }

  private void start(String name, Runnable body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (Throwable e) {
        failures.add(e);
        LOG.error("{} failed", name, e);
      }
    }, name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  private void write(long pauseMs) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    try (Connection c = DriverManager.getConnection(jdbcUrl)) {
      c.setAutoCommit(false);
      try (PreparedStatement lock = c.prepareStatement(
              "SELECT id FROM accounts WHERE id IN (?, ?) ORDER BY id FOR UPDATE");
          PreparedStatement move = c.prepareStatement("UPDATE accounts SET balance = balance + ? WHERE id = ?");
          PreparedStatement rebranch = c.prepareStatement("UPDATE accounts SET branch = ? WHERE id = ?")) {
        while (!stop.get() && !writerStop.get()) {
          int from = 1 + r.nextInt(ACCOUNTS);
          int to = 1 + r.nextInt(ACCOUNTS - 1);
          to = to >= from ? to + 1 : to;
          BigDecimal amount = BigDecimal.valueOf(1 + r.nextInt(10_000), 2);
          lock.setInt(1, Math.min(from, to));
          lock.setInt(2, Math.max(from, to));
          lock.executeQuery().close();
          move.setBigDecimal(1, amount.negate());
          move.setInt(2, from);
          move.executeUpdate();
          if (r.nextInt(10) == 0) {
            // Same transaction: the account and its money change branch together.
            rebranch.setInt(1, 1 + r.nextInt(BRANCHES));
            rebranch.setInt(2, from);
            rebranch.executeUpdate();
          }
          move.setBigDecimal(1, amount);
          move.setInt(2, to);
          move.executeUpdate();
          c.commit();
          transfers.incrementAndGet();
          if (pauseMs > 0) {
            Thread.sleep(r.nextLong(pauseMs * 2 + 1));
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("transfer failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One statement per read: one snapshot of both stream tables and their recorded LSNs. */
  private void read() {
    String sql = "SELECT (SELECT total FROM bank_total), (SELECT n FROM bank_total),"
        + " (SELECT sum(total) FROM bank_branches), (SELECT count(*) FROM bank_branches),"
        + " (SELECT string_agg(coalesce(reflected_lsn::text, '-'), ',' ORDER BY name) FROM trickle.stream_tables"
        + "   WHERE name IN ('bank_total', 'bank_branches'))";
    while (!stop.get()) {
      try (Connection c = DriverManager.getConnection(jdbcUrl)) {
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try (Statement s = c.createStatement()) {
          while (!stop.get()) {
            try (ResultSet rs = s.executeQuery(sql)) {
              rs.next();
              BigDecimal total = rs.getBigDecimal(1);
              long n = rs.getLong(2);
              BigDecimal branches = rs.getBigDecimal(3);
              long branchRows = rs.getLong(4);
              String lsns = rs.getString(5);
              long read = reads.incrementAndGet();
              statesSeen.add(lsns);
              if (total == null || total.compareTo(TOTAL) != 0 || n != ACCOUNTS) {
                violation("read " + read + " at " + lsns + ": bank_total total=" + total + " n=" + n);
              }
              if (branches == null || branches.compareTo(TOTAL) != 0 || branchRows > BRANCHES) {
                violation("read " + read + " at " + lsns + ": bank_branches sum=" + branches
                    + " over " + branchRows + " branches");
              }
            }
          }
        }
      } catch (SQLException e) {
        // PostgreSQL stays up in these tests; count and retry rather than stop observing.
        readErrors.incrementAndGet();
        LOG.warn("bank reader: {}", e.getMessage());
      }
    }
  }

  private void violation(String what) {
    if (violations.size() < 50) {
      violations.add(what);
    }
    LOG.error("bank invariant violated: {}", what);
  }

  /** The source's own total, which the transfers keep constant. */
  static BigDecimal sourceTotal(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT sum(balance) FROM accounts")) {
      rs.next();
      return rs.getBigDecimal(1);
    }
  }

  /** Stops the writers and waits for them; the reader goes on. */
  void stopWriters() throws InterruptedException {
    writerStop.set(true);
    for (Thread t : threads) {
      if (t.getName().startsWith("bank-writer")) {
        t.join(30_000);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      t.join(30_000);
    }
  }

  long transfers() {
    return transfers.get();
  }

  long reads() {
    return reads.get();
  }

  long readErrors() {
    return readErrors.get();
  }

  int statesSeen() {
    return statesSeen.size();
  }

  List<String> violations() {
    return List.copyOf(violations);
  }

  List<Throwable> failures() {
    return List.copyOf(failures);
  }
}
