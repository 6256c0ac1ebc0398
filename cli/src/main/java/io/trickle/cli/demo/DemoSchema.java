package io.trickle.cli.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.Random;

/** The demo's tables ({@code examples/demo-schema.sql}) and a deterministic seed. */
public final class DemoSchema {
  static final String[] REGIONS = {"north", "south", "east", "west", "central"};
  static final String[] CATEGORIES = {"books", "games", "garden", "kitchen", "music", "toys"};
  static final String[] STATUSES = {"new", "paid", "shipped", "delivered", "cancelled"};
  static final int CUSTOMERS = 40;
  static final int PRODUCTS = 24;
  static final int ORDERS = 1500;
  static final LocalDateTime EPOCH = LocalDateTime.of(2026, 1, 1, 0, 0);

  private DemoSchema() {}

  public static void create(Connection c) throws SQLException, IOException {
    try (InputStream in = DemoSchema.class.getResourceAsStream("/examples/demo-schema.sql");
        Statement s = c.createStatement()) {
      if (in == null) {
        throw new IllegalStateException("examples/demo-schema.sql is missing from the classpath");
      }
      s.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  public static void seed(Connection c, long seed) throws SQLException {
    Random r = new Random(seed);
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (PreparedStatement cu = c.prepareStatement("INSERT INTO customers VALUES (?, ?, ?)");
        PreparedStatement pr = c.prepareStatement("INSERT INTO products VALUES (?, ?, ?, ?)");
        PreparedStatement or = c.prepareStatement("INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (int i = 1; i <= CUSTOMERS; i++) {
        cu.setInt(1, i);
        cu.setString(2, "customer " + i);
        cu.setString(3, REGIONS[r.nextInt(REGIONS.length)]);
        cu.addBatch();
      }
      cu.executeBatch();
      for (int i = 1; i <= PRODUCTS; i++) {
        pr.setInt(1, i);
        pr.setString(2, "product " + i);
        pr.setString(3, CATEGORIES[(i - 1) % CATEGORIES.length]);
        pr.setBigDecimal(4, DemoWorkload.price(r));
        pr.addBatch();
      }
      pr.executeBatch();
      for (int i = 1; i <= ORDERS; i++) {
        DemoWorkload.bindOrder(or, i, r);
        or.addBatch();
      }
      or.executeBatch();
      c.commit();
    } finally {
      c.setAutoCommit(auto);
    }
  }
}
