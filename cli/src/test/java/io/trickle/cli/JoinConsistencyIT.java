package io.trickle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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
 * A 1:1 join whose two sides always change together: each transaction sets the same new
 * version on both sides of some keys. A reader of the joined stream table must never see the two
 * versions differ (half a transaction), a key that exists throughout go missing, or a version
 * from a rolled-back transaction.
 */
class JoinConsistencyIT {
  private static final Logger LOG = LoggerFactory.getLogger(JoinConsistencyIT.class);
  private static final int KEYS = 100;
  private static final long LOAD_SECONDS = Long.getLong("trickle.join.seconds", 30);

  @TempDir
  static Path dir;

  static ItStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = ItStack.start(dir,
        "CREATE TABLE orders (id int PRIMARY KEY, version bigint NOT NULL, amount numeric(10,2) NOT NULL)",
        "CREATE TABLE order_details (order_id int PRIMARY KEY, version bigint NOT NULL, note text)",
        "CREATE SEQUENCE versions",
        "INSERT INTO orders SELECT i, 0, i FROM generate_series(1, " + KEYS + ") i",
        "INSERT INTO order_details SELECT i, 0, 'note ' || i FROM generate_series(1, " + KEYS + ") i");
    stack.deploy("CREATE STREAM TABLE order_pairs AS SELECT o.id, o.version AS order_version,"
        + " d.version AS detail_version, o.amount, d.note"
        + " FROM orders o JOIN order_details d ON d.order_id = o.id");
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void readersNeverSeeOneSideOfATransaction() throws Exception {
    AtomicLong commits = new AtomicLong();
    AtomicLong rollbacks = new AtomicLong();
    AtomicLong reads = new AtomicLong();
    AtomicLong churnKey = new AtomicLong(1000);
    Set<String> states = Collections.synchronizedSet(new HashSet<>());
    List<String> violations = Collections.synchronizedList(new ArrayList<>());
    try (Connection c = stack.connection()) {
      stack.awaitFresh(c, "after the initial load");
      stack.assertOracle(c, "after the initial load");
      long t0 = System.nanoTime();
      try (LoadThreads reader = new LoadThreads(stack.pg.jdbcUrl())) {
        reader.start("join-reader", true, r -> read(r, reads, states, violations));
        try (LoadThreads writers = new LoadThreads(stack.pg.jdbcUrl())) {
          for (int i = 0; i < 3; i++) {
            writers.start("join-writer-" + i, false, w -> write(w, commits, rollbacks, churnKey));
          }
          TimeUnit.SECONDS.sleep(LOAD_SECONDS); // the load's duration, not a synchronisation
          writers.close();
          assertThat(writers.failures()).as("writer threads that failed").isEmpty();
        }
        stack.awaitFresh(c, "after the load");
        reader.close();
        assertThat(reader.failures()).as("the reader thread failed").isEmpty();
      }
      LOG.info("join: {} transactions committed, {} rolled back, {} reads ({} distinct LSNs seen) in {} s",
          commits.get(), rollbacks.get(), reads.get(), states.size(),
          TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));
      assertThat(commits.get()).as("transactions committed").isGreaterThan(500);
      assertThat(states.size()).as("distinct stream-table states the reader observed").isGreaterThan(50);
      assertThat(violations).as("reads that saw half a transaction, a missing key or a rolled-back"
          + " version, out of " + reads.get()).isEmpty();
      stack.assertOracle(c, "after the load");
    }
  }

  /** Sets one new version on both sides of 1 to 3 keys, in a random order; sometimes rolls back. */
  private static void write(Connection c, AtomicLong commits, AtomicLong rollbacks, AtomicLong churnKey)
      throws Exception {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    TreeSet<Integer> keys = new TreeSet<>();
    int n = 1 + r.nextInt(3);
    while (keys.size() < n) {
      keys.add(1 + r.nextInt(KEYS));
    }
    boolean rollback = r.nextInt(10) == 0;
    try (Statement s = c.createStatement()) {
      // Locks in one global order (orders, then details, by id): no deadlocks between writers.
      String in = keys.toString().replace('[', '(').replace(']', ')');
      s.executeQuery("SELECT id FROM orders WHERE id IN " + in + " ORDER BY id FOR UPDATE").close();
      s.executeQuery("SELECT order_id FROM order_details WHERE order_id IN " + in
          + " ORDER BY order_id FOR UPDATE").close();
      long version;
      try (ResultSet rs = s.executeQuery("SELECT nextval('versions')")) {
        rs.next();
        version = rollback ? -rs.getLong(1) : rs.getLong(1);
      }
      boolean detailsFirst = r.nextBoolean();
      for (int k : keys) {
        String order = "UPDATE orders SET version = " + version + ", amount = amount + 1 WHERE id = " + k;
        String detail = "UPDATE order_details SET version = " + version + " WHERE order_id = " + k;
        s.executeUpdate(detailsFirst ? detail : order);
        s.executeUpdate(detailsFirst ? order : detail);
      }
      if (r.nextInt(5) == 0) {
        // Churn: a new pair appears and an old one goes, both sides in this transaction.
        long add = churnKey.incrementAndGet();
        s.executeUpdate("INSERT INTO order_details VALUES (" + add + ", " + version + ", 'churn')");
        s.executeUpdate("INSERT INTO orders VALUES (" + add + ", " + version + ", 1)");
        s.executeUpdate("DELETE FROM orders WHERE id = " + (add - 3));
        s.executeUpdate("DELETE FROM order_details WHERE order_id = " + (add - 3));
      }
    }
    if (rollback) {
      c.rollback();
      rollbacks.incrementAndGet();
    } else {
      c.commit();
      commits.incrementAndGet();
    }
    Thread.sleep(r.nextLong(21));
  }

  private static void read(Connection c, AtomicLong reads, Set<String> states, List<String> violations)
      throws Exception {
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FILTER (WHERE id <= " + KEYS + "),"
        + " count(*) FILTER (WHERE order_version <> detail_version),"
        + " count(*) FILTER (WHERE order_version < 0 OR detail_version < 0),"
        + " min(id) FILTER (WHERE order_version <> detail_version),"
        + " (SELECT reflected_lsn::text FROM trickle.stream_tables WHERE name = 'order_pairs')"
        + " FROM order_pairs");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      long read = reads.incrementAndGet();
      states.add(String.valueOf(rs.getString(5)));
      if (rs.getLong(1) != KEYS || rs.getLong(2) != 0 || rs.getLong(3) != 0) {
        String v = "read " + read + " at " + rs.getString(5) + ": " + rs.getLong(1) + " of " + KEYS
            + " stable keys, " + rs.getLong(2) + " rows with differing versions (first id " + rs.getObject(4)
            + "), " + rs.getLong(3) + " rolled-back versions";
        LOG.error("join invariant violated: {}", v);
        if (violations.size() < 50) {
          violations.add(v);
        }
      }
    }
  }
}
