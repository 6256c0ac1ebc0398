package io.trickle.cli.tpch;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Deterministic TPC-H data (no external dbgen): the same scale factor and seed always give the
 * same rows. Every table is loaded with COPY; orders and lineitem stream side by side on two
 * connections because each order's price and status derive from its lines.
 */
public final class TpchGenerator {
  private final TpchScale scale;
  private final long seed;

  public TpchGenerator(TpchScale scale, long seed) {
    this.scale = scale;
    this.seed = seed;
  }

  public TpchScale scale() {
    return scale;
  }

  /** Creates the tables and loads them; returns table → rows loaded. */
  public Map<String, Long> createAndLoad(String jdbcUrl) throws SQLException {
    Map<String, Long> rows = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl); Connection c2 = DriverManager.getConnection(jdbcUrl)) {
      TpchSchema.create(c);
      rows.put("region", regions(c));
      rows.put("nation", nations(c));
      rows.put("supplier", suppliers(c, new Random(seed + 1)));
      rows.put("part", parts(c, new Random(seed + 2)));
      rows.put("partsupp", partsupps(c, new Random(seed + 3)));
      rows.put("customer", customers(c, new Random(seed + 4)));
      long[] ol = ordersAndLines(c, c2, new Random(seed + 5));
      rows.put("orders", ol[0]);
      rows.put("lineitem", ol[1]);
      TpchSchema.indexAndAnalyze(c);
    }
    return rows;
  }

  private long regions(Connection c) throws SQLException {
    Random r = new Random(seed);
    try (CopyStream out = new CopyStream(c, "region")) {
      for (int i = 0; i < TpchDomain.REGIONS.size(); i++) {
        out.row(i + "|" + TpchDomain.REGIONS.get(i) + "|" + TpchText.comment(r, 31, 115) + "\n");
      }
      return out.finish();
    }
  }

  private long nations(Connection c) throws SQLException {
    Random r = new Random(seed);
    try (CopyStream out = new CopyStream(c, "nation")) {
      for (int i = 0; i < TpchDomain.NATIONS.size(); i++) {
        out.row(i + "|" + TpchDomain.NATIONS.get(i) + "|" + TpchDomain.NATION_REGION[i] + "|"
            + TpchText.comment(r, 31, 114) + "\n");
      }
      return out.finish();
    }
  }

  private long suppliers(Connection c, Random r) throws SQLException {
    try (CopyStream out = new CopyStream(c, "supplier")) {
      for (int s = 1; s <= scale.suppliers(); s++) {
        int nation = r.nextInt(25);
        // The spec puts Customer...Complaints into 5 and Customer...Recommends into 5 of every
        // 10,000 suppliers; a denser 1 in 20 of each keeps Q16's filter meaningful at tiny scales.
        String comment = switch (s % 20) {
          case 7 -> TpchText.supplierComment(r, "Complaints");
          case 13 -> TpchText.supplierComment(r, "Recommends");
          default -> TpchText.comment(r, 25, 100);
        };
        out.row(s + "|" + TpchDomain.padded("Supplier#", s) + "|" + TpchText.address(r) + "|" + nation + "|"
            + TpchDomain.phone(nation, r) + "|" + TpchDomain.money(r.nextInt(1_099_999) - 99_999) + "|"
            + comment + "\n");
      }
      return out.finish();
    }
  }

  private long parts(Connection c, Random r) throws SQLException {
    try (CopyStream out = new CopyStream(c, "part")) {
      for (int p = 1; p <= scale.parts(); p++) {
        out.row(partRow(p, r));
      }
      return out.finish();
    }
  }

  static String partRow(int p, Random r) {
    StringBuilder name = new StringBuilder();
    java.util.List<String> colors = new java.util.ArrayList<>(TpchDomain.COLORS);
    for (int i = 0; i < 5; i++) {
      name.append(i == 0 ? "" : " ").append(colors.remove(r.nextInt(colors.size())));
    }
    int m = 1 + r.nextInt(5);
    int n = 1 + r.nextInt(5);
    String type = TpchText.pick(r, TpchDomain.TYPE_SIZE) + " " + TpchText.pick(r, TpchDomain.TYPE_FINISH) + " "
        + TpchText.pick(r, TpchDomain.TYPE_METAL);
    String container = TpchText.pick(r, TpchDomain.CONTAINER_SIZE) + " "
        + TpchText.pick(r, TpchDomain.CONTAINER_KIND);
    return p + "|" + name + "|Manufacturer#" + m + "|Brand#" + m + n + "|" + type + "|" + (1 + r.nextInt(50))
        + "|" + container + "|" + TpchDomain.money(TpchDomain.retailPriceCents(p)) + "|"
        + TpchText.comment(r, 5, 22) + "\n";
  }

  private long partsupps(Connection c, Random r) throws SQLException {
    try (CopyStream out = new CopyStream(c, "partsupp")) {
      for (int p = 1; p <= scale.parts(); p++) {
        for (int s : TpchDomain.suppliersOf(p, scale.suppliers())) {
          out.row(p + "|" + s + "|" + (1 + r.nextInt(9_999)) + "|" + TpchDomain.money(100 + r.nextInt(99_901))
              + "|" + TpchText.comment(r, 49, 198) + "\n");
        }
      }
      return out.finish();
    }
  }

  private long customers(Connection c, Random r) throws SQLException {
    try (CopyStream out = new CopyStream(c, "customer")) {
      for (int k = 1; k <= scale.customers(); k++) {
        int nation = r.nextInt(25);
        out.row(k + "|" + TpchDomain.padded("Customer#", k) + "|" + TpchText.address(r) + "|" + nation + "|"
            + TpchDomain.phone(nation, r) + "|" + TpchDomain.money(r.nextInt(1_099_999) - 99_999) + "|"
            + TpchText.pick(r, TpchDomain.SEGMENTS) + "|" + TpchText.comment(r, 29, 116) + "\n");
      }
      return out.finish();
    }
  }

  private long[] ordersAndLines(Connection c, Connection c2, Random r) throws SQLException {
    try (CopyStream orders = new CopyStream(c, "orders"); CopyStream lines = new CopyStream(c2, "lineitem")) {
      // Five orders at any scale are large enough for Q18 (sum of quantities over 300).
      long largeEvery = Math.max(1, scale.orders() / 5);
      for (long i = 0; i < scale.orders(); i++) {
        TpchOrder o = TpchOrder.generate(TpchScale.orderKey(i), scale, r, i % largeEvery == largeEvery / 2);
        orders.row(o.copyRow());
        for (TpchOrder.Line l : o.lines()) {
          lines.row(l.copyRow());
        }
      }
      return new long[] {orders.finish(), lines.finish()};
    }
  }
}
