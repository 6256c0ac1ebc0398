package io.trickle.cli.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo's live change stream: inserts, updates and deletes, each in its own transaction,
 * including the cases incremental maintenance gets wrong most easily: rows moving between groups,
 * primary-key changes, deletes of a group's current minimum or maximum, and multi-statement
 * transactions.
 */
public final class DemoWorkload implements Runnable {
  private final Connection c;
  private final Random r;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong transactions = new AtomicLong();
  private final int pauseMs;
  private long nextOrderId = DemoSchema.ORDERS + 1;
  private int nextProductId = DemoSchema.PRODUCTS + 1;
  private volatile SQLException failure;

  public DemoWorkload(Connection c, long seed, int pauseMs) {
    this.c = c;
    this.r = new Random(seed);
    this.pauseMs = pauseMs;
  }

  static BigDecimal price(Random r) {
    return BigDecimal.valueOf(100 + r.nextInt(99_900), 2);
  }

  static void bindOrder(PreparedStatement ps, long id, Random r) throws SQLException {
    int quantity = 1 + r.nextInt(5);
    ps.setLong(1, id);
    ps.setInt(2, 1 + r.nextInt(DemoSchema.CUSTOMERS));
    ps.setInt(3, 1 + r.nextInt(DemoSchema.PRODUCTS));
    ps.setInt(4, quantity);
    ps.setBigDecimal(5, BigDecimal.valueOf(500 + r.nextInt(120_000), 2));
    ps.setString(6, DemoSchema.STATUSES[r.nextInt(DemoSchema.STATUSES.length)]);
    ps.setTimestamp(7, Timestamp.valueOf(DemoSchema.EPOCH.plusSeconds(r.nextInt(86_400 * 300))));
  }

  public long transactions() {
    return transactions.get();
  }

  public void stop() {
    running.set(false);
  }

  public SQLException failure() {
    return failure;
  }

  @Override
  public void run() {
    try {
      c.setAutoCommit(false);
      while (running.get()) {
        step();
        c.commit();
        transactions.incrementAndGet();
        if (pauseMs > 0) {
          Thread.sleep(pauseMs);
        }
      }
    } catch (SQLException e) {
      failure = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void step() throws SQLException {
    int dice = r.nextInt(100);
    if (dice < 30) {
      insertOrder();
    } else if (dice < 45) {
      exec("UPDATE orders SET status = ? WHERE id = ?", status(), randomOrder());
    } else if (dice < 58) {
      exec("UPDATE orders SET quantity = ?, amount = ? WHERE id = ?", 1 + r.nextInt(5),
          BigDecimal.valueOf(500 + r.nextInt(120_000), 2), randomOrder());
    } else if (dice < 68) {
      exec("DELETE FROM orders WHERE id = ?", randomOrder());
    } else if (dice < 73) {
      exec("UPDATE orders SET id = ? WHERE id = ?", nextOrderId++, randomOrder());
    } else if (dice < 78) {
      exec("UPDATE customers SET region = ? WHERE id = ?",
          DemoSchema.REGIONS[r.nextInt(DemoSchema.REGIONS.length)], 1 + r.nextInt(DemoSchema.CUSTOMERS));
    } else if (dice < 86) {
      updatePrice();
    } else if (dice < 92) {
      replaceExtremeProduct();
    } else {
      insertOrder();
      insertOrder();
      exec("UPDATE orders SET status = 'cancelled' WHERE id = ?", randomOrder());
      exec("DELETE FROM orders WHERE id = ?", randomOrder());
    }
  }

  private void insertOrder() throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      bindOrder(ps, nextOrderId++, r);
      ps.executeUpdate();
    }
  }

  /** Sometimes below the category's minimum or above its maximum, so the extremum moves. */
  private void updatePrice() throws SQLException {
    String category = DemoSchema.CATEGORIES[r.nextInt(DemoSchema.CATEGORIES.length)];
    BigDecimal p = switch (r.nextInt(3)) {
      case 0 -> BigDecimal.valueOf(1 + r.nextInt(99), 2);
      case 1 -> BigDecimal.valueOf(100_000 + r.nextInt(10_000), 2);
      default -> price(r);
    };
    exec("UPDATE products SET price = ? WHERE id = (SELECT id FROM products WHERE category = ?"
        + " ORDER BY random() LIMIT 1)", p, category);
  }

  /** Deletes a category's cheapest or priciest product and adds a new one to the category. */
  private void replaceExtremeProduct() throws SQLException {
    String category = DemoSchema.CATEGORIES[r.nextInt(DemoSchema.CATEGORIES.length)];
    String order = r.nextBoolean() ? "ASC" : "DESC";
    exec("DELETE FROM products WHERE id = (SELECT id FROM products WHERE category = ? ORDER BY price "
        + order + ", id LIMIT 1)", category);
    exec("INSERT INTO products VALUES (?, ?, ?, ?)", nextProductId, "product " + nextProductId,
        category, price(r).setScale(2, RoundingMode.UNNECESSARY));
    nextProductId++;
    // Keep orders pointing at live products most of the time.
    exec("UPDATE orders SET product_id = ? WHERE id = ?", nextProductId - 1, randomOrder());
  }

  private String status() {
    return DemoSchema.STATUSES[r.nextInt(DemoSchema.STATUSES.length)];
  }

  private long randomOrder() throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM orders OFFSET floor(random() * greatest(1,"
            + " (SELECT count(*) FROM orders)))::int LIMIT 1")) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  private void exec(String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      ps.executeUpdate();
    }
  }
}
