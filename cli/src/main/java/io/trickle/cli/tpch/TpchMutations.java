package io.trickle.cli.tpch;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * Deterministic change cycles over a loaded TPC-H database, each in several transactions: bulk
 * inserts of new orders with their lines, bulk deletes of orders with their lines, updates that
 * move rows between groups (market segment, return flag and line status, order priority, brand)
 * and updates of join keys (a line moved to another supplier of its part or to another part, an
 * order moved to another customer, a supplier or customer moved to another nation).
 */
public final class TpchMutations {
  /** What one cycle changed. */
  public record Cycle(int number, int transactions, long insertedOrders, long insertedLines,
      long deletedOrders, long deletedLines, long updatedRows) {
    public String describe() {
      return String.format("cycle %d: %d transactions, +%d orders/+%d lines, -%d orders/-%d lines, %d rows updated",
          number, transactions, insertedOrders, insertedLines, deletedOrders, deletedLines, updatedRows);
    }
  }

  private final TpchScale scale;
  private final long seed;
  private long nextOrderIndex;
  private int cycles;

  public TpchMutations(TpchScale scale, long seed) {
    this.scale = scale;
    this.seed = seed;
    this.nextOrderIndex = scale.orders();
  }

  /** Rows touched per kind of change: about 1% of orders inserted, 0.5% deleted, 0.5% updated. */
  private int batch(double fraction) {
    return (int) Math.max(3, Math.round(scale.orders() * fraction));
  }

  public Cycle run(Connection c) throws SQLException {
    int number = ++cycles;
    Random r = new Random(seed * 7919 + number);
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      long[] ins1 = insertOrders(c, r, batch(0.005));
      c.commit();
      long[] ins2 = insertOrders(c, r, batch(0.005));
      c.commit();
      List<Long> keys = orderKeys(c);
      long[] del = deleteOrders(c, sample(r, keys, batch(0.005)));
      c.commit();
      keys = orderKeys(c);
      long updated = groupKeyUpdates(c, r, keys);
      c.commit();
      updated += valueUpdates(c, r, keys);
      c.commit();
      updated += joinKeyUpdates(c, r, keys);
      c.commit();
      return new Cycle(number, 6, ins1[0] + ins2[0], ins1[1] + ins2[1], del[0], del[1], updated);
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  private long[] insertOrders(Connection c, Random r, int n) throws SQLException {
    List<TpchOrder> orders = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      orders.add(TpchOrder.generate(TpchScale.orderKey(nextOrderIndex++), scale, r));
    }
    long lines = 0;
    try (CopyStream out = new CopyStream(c, "orders")) {
      for (TpchOrder o : orders) {
        out.row(o.copyRow());
      }
      out.finish();
    }
    try (CopyStream out = new CopyStream(c, "lineitem")) {
      for (TpchOrder o : orders) {
        for (TpchOrder.Line l : o.lines()) {
          out.row(l.copyRow());
        }
      }
      lines = out.finish();
    }
    return new long[] {n, lines};
  }

  private long[] deleteOrders(Connection c, List<Long> keys) throws SQLException {
    Array a = c.createArrayOf("bigint", keys.toArray());
    long lines = update(c, "DELETE FROM lineitem WHERE l_orderkey = ANY(?)", a);
    long orders = update(c, "DELETE FROM orders WHERE o_orderkey = ANY(?)", a);
    return new long[] {orders, lines};
  }

  private long groupKeyUpdates(Connection c, Random r, List<Long> keys) throws SQLException {
    long n = 0;
    n += update(c, "UPDATE customer SET c_mktsegment = CASE c_mktsegment WHEN 'AUTOMOBILE' THEN 'BUILDING'"
        + " WHEN 'BUILDING' THEN 'FURNITURE' WHEN 'FURNITURE' THEN 'MACHINERY' WHEN 'MACHINERY' THEN 'HOUSEHOLD'"
        + " ELSE 'AUTOMOBILE' END WHERE c_custkey = ANY(?)", ints(c, r, scale.customers(), batch(0.002)));
    n += update(c, "UPDATE orders SET o_orderpriority = CASE o_orderpriority WHEN '1-URGENT' THEN '2-HIGH'"
        + " WHEN '2-HIGH' THEN '3-MEDIUM' WHEN '3-MEDIUM' THEN '4-NOT SPECIFIED'"
        + " WHEN '4-NOT SPECIFIED' THEN '5-LOW' ELSE '1-URGENT' END WHERE o_orderkey = ANY(?)",
        longs(c, sample(r, keys, batch(0.005))));
    n += update(c, "UPDATE lineitem SET l_returnflag = CASE l_returnflag WHEN 'R' THEN 'A' WHEN 'A' THEN 'N'"
        + " ELSE 'R' END, l_linestatus = CASE l_linestatus WHEN 'O' THEN 'F' ELSE 'O' END"
        + " WHERE l_orderkey = ANY(?) AND l_linenumber <= 2", longs(c, sample(r, keys, batch(0.005))));
    n += update(c, "UPDATE part SET p_brand = 'Brand#' || (1 + (substr(p_brand, 7, 1)::int) % 5)"
        + " || substr(p_brand, 8, 1), p_container = CASE WHEN p_container LIKE 'SM %' THEN 'MED BOX'"
        + " WHEN p_container LIKE 'MED %' THEN 'LG CASE' ELSE 'SM PKG' END WHERE p_partkey = ANY(?)",
        ints(c, r, scale.parts(), batch(0.001)));
    return n;
  }

  private long valueUpdates(Connection c, Random r, List<Long> keys) throws SQLException {
    long n = 0;
    n += update(c, "UPDATE lineitem l SET l_quantity = l_quantity::int % 50 + 1,"
        + " l_extendedprice = (l_quantity::int % 50 + 1) * p.p_retailprice,"
        + " l_discount = ((l_discount * 100)::int + 3) % 11 / 100.0,"
        + " l_shipdate = l_shipdate + 5, l_receiptdate = l_receiptdate + 5"
        + " FROM part p WHERE p.p_partkey = l.l_partkey AND l.l_orderkey = ANY(?)",
        longs(c, sample(r, keys, batch(0.005))));
    n += update(c, "UPDATE partsupp SET ps_supplycost = ps_supplycost % 1000 + 1,"
        + " ps_availqty = ps_availqty % 9999 + 1 WHERE ps_partkey = ANY(?)", ints(c, r, scale.parts(), batch(0.001)));
    n += update(c, "UPDATE customer SET c_acctbal = -c_acctbal WHERE c_custkey = ANY(?)",
        ints(c, r, scale.customers(), batch(0.002)));
    n += update(c, "UPDATE supplier SET s_acctbal = s_acctbal + 100 WHERE s_suppkey = ANY(?)",
        ints(c, r, scale.suppliers(), 2));
    return n;
  }

  private long joinKeyUpdates(Connection c, Random r, List<Long> keys) throws SQLException {
    long n = 0;
    // Lines moved to another supplier of the same part: (l_partkey, l_suppkey) stays a partsupp pair.
    List<long[]> lines = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT l_orderkey, l_linenumber, l_partkey, l_suppkey FROM lineitem WHERE l_orderkey = ANY(?)")) {
      ps.setArray(1, longs(c, sample(r, keys, batch(0.005))));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          lines.add(new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)});
        }
      }
    }
    try (PreparedStatement supp = c.prepareStatement(
            "UPDATE lineitem SET l_suppkey = ? WHERE l_orderkey = ? AND l_linenumber = ?");
        PreparedStatement part = c.prepareStatement("UPDATE lineitem SET l_partkey = ?, l_suppkey = ?,"
            + " l_extendedprice = l_quantity * ? WHERE l_orderkey = ? AND l_linenumber = ?")) {
      for (long[] l : lines) {
        if (r.nextInt(4) == 0) {
          int p = 1 + r.nextInt(scale.parts());
          part.setInt(1, p);
          part.setInt(2, TpchDomain.suppliersOf(p, scale.suppliers())[r.nextInt(4)]);
          part.setBigDecimal(3, java.math.BigDecimal.valueOf(TpchDomain.retailPriceCents(p), 2));
          part.setLong(4, l[0]);
          part.setLong(5, l[1]);
          part.addBatch();
        } else {
          int[] s = TpchDomain.suppliersOf(l[2], scale.suppliers());
          int next = s[0];
          for (int i = 0; i < 4; i++) {
            if (s[i] == l[3]) {
              next = s[(i + 1 + r.nextInt(3)) % 4];
            }
          }
          supp.setInt(1, next);
          supp.setLong(2, l[0]);
          supp.setLong(3, l[1]);
          supp.addBatch();
        }
      }
      n += sum(supp.executeBatch()) + sum(part.executeBatch());
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE orders SET o_custkey = ? WHERE o_orderkey = ?")) {
      for (long k : sample(r, keys, batch(0.003))) {
        ps.setInt(1, TpchOrder.customerWithOrders(scale, r));
        ps.setLong(2, k);
        ps.addBatch();
      }
      n += sum(ps.executeBatch());
    }
    n += update(c, "UPDATE customer SET c_nationkey = (c_nationkey + 7) % 25 WHERE c_custkey = ANY(?)",
        ints(c, r, scale.customers(), batch(0.001)));
    n += update(c, "UPDATE supplier SET s_nationkey = (s_nationkey + 3) % 25 WHERE s_suppkey = ANY(?)",
        ints(c, r, scale.suppliers(), 1));
    return n;
  }

  private static List<Long> orderKeys(Connection c) throws SQLException {
    List<Long> keys = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT o_orderkey FROM orders ORDER BY 1")) {
      while (rs.next()) {
        keys.add(rs.getLong(1));
      }
    }
    return keys;
  }

  private static List<Long> sample(Random r, List<Long> keys, int n) {
    TreeSet<Long> out = new TreeSet<>();
    int want = Math.min(n, keys.size());
    while (out.size() < want) {
      out.add(keys.get(r.nextInt(keys.size())));
    }
    return new ArrayList<>(out);
  }

  private static Array longs(Connection c, List<Long> keys) throws SQLException {
    return c.createArrayOf("bigint", keys.toArray());
  }

  private static Array ints(Connection c, Random r, int max, int n) throws SQLException {
    TreeSet<Integer> out = new TreeSet<>();
    int want = Math.min(n, max);
    while (out.size() < want) {
      out.add(1 + r.nextInt(max));
    }
    return c.createArrayOf("integer", out.toArray());
  }

  private static long update(Connection c, String sql, Array arg) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setArray(1, arg);
      return ps.executeUpdate();
    }
  }

  private static long sum(int[] counts) {
    long s = 0;
    for (int n : counts) {
      s += Math.max(0, n);
    }
    return s;
  }
}
