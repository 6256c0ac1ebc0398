package io.trickle.bench;

import io.trickle.cli.tpch.TpchDomain;
import io.trickle.cli.tpch.TpchScale;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The writers of the TPC-H end-to-end harness (docs/benchmarks.md): {@code writers} threads, one
 * connection each, committing one small transaction at a time over a loaded TPC-H database.
 * Each transaction is one of:
 * <ul>
 *   <li>{@link Kind#NEW_ORDER}: a new order with 1 to 7 line items (values drawn as the
 *       generator draws them);</li>
 *   <li>{@link Kind#LINE_UPDATE}: new quantity (price follows) and discount on every line of an order;</li>
 *   <li>{@link Kind#PRIORITY_UPDATE}: an order moved to another order priority;</li>
 *   <li>{@link Kind#DELETE_ORDER}: an order and its line items deleted;</li>
 *   <li>{@link Kind#MIN_MAX}: the order holding the current MIN or MAX {@code o_totalprice} of a
 *       priority deleted (with its lines) or moved to another priority, which forces a MIN/MAX
 *       operator to find the next value.</li>
 * </ul>
 * Each writer draws from its own {@link Random} seeded from the run's seed, the phase and the
 * writer number, and works on its own share of the order keys, so the sequence of transactions
 * of each writer is the same in every run; only the interleaving of the writers (and so which
 * order is the current MIN/MAX when one is targeted) depends on timing. Every multi-table
 * transaction locks the order before its lines; a deadlock or serialization failure is retried.
 */
final class TpchWriters {
  enum Kind { NEW_ORDER, LINE_UPDATE, PRIORITY_UPDATE, DELETE_ORDER, MIN_MAX }

  /** Weights of the kinds, in percent, in {@link Kind} order. */
  private static final int[] WEIGHTS = {30, 25, 15, 15, 15};

  /** What a run wrote. Commit times are {@link System#nanoTime()} values. */
  record Result(long transactions, long rowChanges, long firstCommit, long lastCommit, Map<Kind, Long> kinds) {
    double writeSeconds() {
      return (lastCommit - firstCommit) / 1e9;
    }
  }

  private final String jdbcUrl;
  private final TpchScale scale;
  private final long seed;
  private final int writers;
  /** Order keys each writer updates and deletes (its share of the initial orders plus the ones it created). */
  private final List<List<Long>> owned = new ArrayList<>();
  private final AtomicLong nextOrderIndex;
  private int phase;

  TpchWriters(String jdbcUrl, TpchScale scale, long seed, int writers) throws SQLException {
    this.jdbcUrl = jdbcUrl;
    this.scale = scale;
    this.seed = seed;
    this.writers = writers;
    // Above the keys TpchMutations' cycles insert (from scale.orders() up), so both can run.
    this.nextOrderIndex = new AtomicLong(scale.orders() + 10_000_000L);
    for (int w = 0; w < writers; w++) {
      owned.add(new ArrayList<>());
    }
    try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT o_orderkey FROM orders ORDER BY 1")) {
      int i = 0;
      while (rs.next()) {
        owned.get(i++ % writers).add(rs.getLong(1));
      }
    }
  }

  /**
   * Runs the writers until {@code transactions} have committed (split evenly between them), or,
   * when {@code transactions} is negative, until {@code stop} says so. {@code ratePerSecond}
   * above 0 paces them (together) at that rate; 0 is as fast as they go.
   */
  Result run(long transactions, double ratePerSecond, BooleanSupplier stop) throws Exception {
    int p = ++phase;
    AtomicLong tx = new AtomicLong();
    AtomicLong changes = new AtomicLong();
    AtomicLong first = new AtomicLong(Long.MAX_VALUE);
    AtomicLong last = new AtomicLong(Long.MIN_VALUE);
    long[][] kinds = new long[writers][Kind.values().length];
    Exception[] failure = new Exception[1];
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      long mine = transactions < 0 ? -1 : transactions / writers + (w < transactions % writers ? 1 : 0);
      Thread t = new Thread(() -> {
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
          c.setAutoCommit(false);
          Random r = new Random(seed * 1_000_003L + p * 101L + writer);
          double interval = ratePerSecond > 0 ? 1e9 * writers / ratePerSecond : 0;
          long next = start + (long) (interval * writer / writers);
          for (long i = 0; mine < 0 ? !stop.getAsBoolean() : i < mine; i++) {
            if (interval > 0) {
              long now = System.nanoTime();
              if (next > now) {
                Thread.sleep((next - now) / 1_000_000, (int) ((next - now) % 1_000_000));
              }
              // Behind schedule: carry on from now rather than burst to catch up.
              next = Math.max(next, System.nanoTime() - (long) interval) + (long) interval;
            }
            Kind k = pick(r, owned.get(writer).size());
            long n = transaction(c, r, writer, k);
            long at = System.nanoTime();
            first.accumulateAndGet(at, Math::min);
            last.accumulateAndGet(at, Math::max);
            tx.incrementAndGet();
            changes.addAndGet(n);
            kinds[writer][k.ordinal()]++;
          }
        } catch (Exception e) {
          synchronized (failure) {
            failure[0] = e;
          }
        }
      }, "tpch-writer-" + w);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    if (failure[0] != null) {
      throw failure[0];
    }
    Map<Kind, Long> byKind = new EnumMap<>(Kind.class);
    for (Kind k : Kind.values()) {
      long n = 0;
      for (long[] perWriter : kinds) {
        n += perWriter[k.ordinal()];
      }
      byKind.put(k, n);
    }
    return new Result(tx.get(), changes.get(), first.get(), last.get(), byKind);
  }

  private static Kind pick(Random r, int ownedOrders) {
    int x = r.nextInt(100);
    for (Kind k : Kind.values()) {
      x -= WEIGHTS[k.ordinal()];
      if (x < 0) {
        // Keep a writer from running out of orders to update.
        return ownedOrders < 20 && k != Kind.MIN_MAX ? Kind.NEW_ORDER : k;
      }
    }
    throw new AssertionError();
  }

  /** One committed transaction; returns the source rows it changed. Retries deadlocks. */
  private long transaction(Connection c, Random r, int writer, Kind k) throws SQLException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      // Draw from a copy so that a retry repeats the same choices.
      long state = r.nextLong();
      try {
        long n = switch (k) {
          case NEW_ORDER -> newOrder(c, new Random(state), writer);
          case LINE_UPDATE -> lineUpdate(c, new Random(state), writer);
          case PRIORITY_UPDATE -> priorityUpdate(c, new Random(state), writer);
          case DELETE_ORDER -> deleteOrder(c, new Random(state), writer);
          case MIN_MAX -> minMax(c, new Random(state));
        };
        c.commit();
        return n;
      } catch (SQLException e) {
        c.rollback();
        String state0 = e.getSQLState();
        if (attempt >= 10 || state0 == null || !state0.startsWith("40")) {
          throw e;
        }
        Thread.sleep(attempt);
      }
    }
  }

  private long newOrder(Connection c, Random r, int writer) throws SQLException {
    long key = TpchScale.orderKey(nextOrderIndex.getAndIncrement());
    int cust;
    do {
      cust = 1 + r.nextInt(scale.customers());
    } while (cust % 3 == 0); // TPC-H: customers with a key divisible by 3 place no orders
    long days = TpchDomain.START_DATE.until(TpchDomain.LAST_ORDER_DATE, ChronoUnit.DAYS);
    LocalDate orderDate = TpchDomain.START_DATE.plusDays(r.nextInt((int) days + 1));
    int lines = 1 + r.nextInt(7);
    long total = 0;
    int open = 0;
    try (PreparedStatement li = c.prepareStatement("INSERT INTO lineitem VALUES"
        + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'bench writer')")) {
      for (int n = 1; n <= lines; n++) {
        int part = 1 + r.nextInt(scale.parts());
        int supp = TpchDomain.suppliersOf(part, scale.suppliers())[r.nextInt(4)];
        int quantity = 1 + r.nextInt(50);
        long extended = quantity * TpchDomain.retailPriceCents(part);
        int discount = r.nextInt(11);
        int tax = r.nextInt(9);
        LocalDate ship = orderDate.plusDays(1 + r.nextInt(121));
        LocalDate commit = orderDate.plusDays(30 + r.nextInt(61));
        LocalDate receipt = ship.plusDays(1 + r.nextInt(30));
        String flag = receipt.isAfter(TpchDomain.CURRENT_DATE) ? "N" : r.nextBoolean() ? "R" : "A";
        String status = ship.isAfter(TpchDomain.CURRENT_DATE) ? "O" : "F";
        open += status.equals("O") ? 1 : 0;
        total += Math.round(extended * (100 + tax) * (100 - discount) / 10_000.0);
        li.setLong(1, key);
        li.setInt(2, part);
        li.setInt(3, supp);
        li.setInt(4, n);
        li.setBigDecimal(5, BigDecimal.valueOf(quantity));
        li.setBigDecimal(6, BigDecimal.valueOf(extended, 2));
        li.setBigDecimal(7, BigDecimal.valueOf(discount, 2));
        li.setBigDecimal(8, BigDecimal.valueOf(tax, 2));
        li.setString(9, flag);
        li.setString(10, status);
        li.setObject(11, ship);
        li.setObject(12, commit);
        li.setObject(13, receipt);
        li.setString(14, TpchDomain.SHIP_INSTRUCT.get(r.nextInt(TpchDomain.SHIP_INSTRUCT.size())));
        li.setString(15, TpchDomain.SHIP_MODES.get(r.nextInt(TpchDomain.SHIP_MODES.size())));
        li.addBatch();
      }
      try (PreparedStatement o = c.prepareStatement(
          "INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, 0, 'bench writer')")) {
        o.setLong(1, key);
        o.setInt(2, cust);
        o.setString(3, open == lines ? "O" : open == 0 ? "F" : "P");
        o.setBigDecimal(4, BigDecimal.valueOf(total, 2));
        o.setObject(5, orderDate);
        o.setString(6, TpchDomain.PRIORITIES.get(r.nextInt(TpchDomain.PRIORITIES.size())));
        o.setString(7, TpchDomain.padded("Clerk#", 1 + r.nextInt(scale.clerks())));
        o.executeUpdate();
      }
      li.executeBatch();
    }
    synchronized (owned.get(writer)) {
      owned.get(writer).add(key);
    }
    return 1 + lines;
  }

  private long ownedOrder(Random r, int writer, boolean remove) {
    List<Long> keys = owned.get(writer);
    synchronized (keys) {
      int i = r.nextInt(keys.size());
      long key = keys.get(i);
      if (remove) {
        keys.set(i, keys.get(keys.size() - 1));
        keys.remove(keys.size() - 1);
      }
      return key;
    }
  }

  private long lineUpdate(Connection c, Random r, int writer) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE lineitem SET l_quantity = ?,"
        + " l_extendedprice = round(l_extendedprice / l_quantity * ?, 2), l_discount = ? WHERE l_orderkey = ?")) {
      int quantity = 1 + r.nextInt(50);
      ps.setBigDecimal(1, BigDecimal.valueOf(quantity));
      ps.setBigDecimal(2, BigDecimal.valueOf(quantity));
      ps.setBigDecimal(3, BigDecimal.valueOf(r.nextInt(11), 2));
      ps.setLong(4, ownedOrder(r, writer, false));
      return ps.executeUpdate();
    }
  }

  private long priorityUpdate(Connection c, Random r, int writer) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE orders SET o_orderpriority = ? WHERE o_orderkey = ?")) {
      ps.setString(1, TpchDomain.PRIORITIES.get(r.nextInt(TpchDomain.PRIORITIES.size())));
      ps.setLong(2, ownedOrder(r, writer, false));
      return ps.executeUpdate();
    }
  }

  private long deleteOrder(Connection c, Random r, int writer) throws SQLException {
    return deleteOrder(c, ownedOrder(r, writer, true));
  }

  /** The order first, then its lines: the lock order every transaction here keeps. */
  private static long deleteOrder(Connection c, long key) throws SQLException {
    long n = 0;
    try (PreparedStatement o = c.prepareStatement("DELETE FROM orders WHERE o_orderkey = ?");
        PreparedStatement l = c.prepareStatement("DELETE FROM lineitem WHERE l_orderkey = ?")) {
      o.setLong(1, key);
      n += o.executeUpdate();
      l.setLong(1, key);
      n += l.executeUpdate();
    }
    return n;
  }

  /**
   * The current MIN or MAX of a priority group: deleted or moved to another priority. It may be
   * another writer's order; that writer's later updates of it then change nothing.
   */
  private long minMax(Connection c, Random r) throws SQLException {
    String priority = TpchDomain.PRIORITIES.get(r.nextInt(TpchDomain.PRIORITIES.size()));
    boolean max = r.nextBoolean();
    long key;
    try (PreparedStatement ps = c.prepareStatement("SELECT o_orderkey FROM orders WHERE o_orderpriority = ?"
        + " ORDER BY o_totalprice " + (max ? "DESC" : "ASC") + ", o_orderkey LIMIT 1 FOR UPDATE")) {
      ps.setString(1, priority);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return 0;
        }
        key = rs.getLong(1);
      }
    }
    if (r.nextBoolean()) {
      return deleteOrder(c, key);
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE orders SET o_orderpriority = ? WHERE o_orderkey = ?")) {
      String other = TpchDomain.PRIORITIES.get((TpchDomain.PRIORITIES.indexOf(priority) + 1 + r.nextInt(4)) % 5);
      ps.setString(1, other);
      ps.setLong(2, key);
      return ps.executeUpdate();
    }
  }
}
