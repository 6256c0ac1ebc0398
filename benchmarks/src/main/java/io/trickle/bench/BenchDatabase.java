package io.trickle.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The demo's tables ({@code examples/demo-schema.sql}) filled at scale with
 * {@code generate_series}: {@code rows} orders, rows/100 customers, 1,000 products.
 */
final class BenchDatabase {
  static final String[] STATUSES = {"new", "paid", "shipped", "delivered", "cancelled"};

  private BenchDatabase() {}

  static int customers(int rows) {
    return Math.max(100, rows / 100);
  }

  static final int PRODUCTS = 1_000;

  /** Creates and fills the tables; returns the number of source rows. */
  static long seed(Connection c, int rows) throws SQLException {
    int customers = customers(rows);
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL, region text NOT NULL)");
      s.execute("CREATE TABLE products (id integer PRIMARY KEY, name text NOT NULL, category text NOT NULL,"
          + " price numeric(10,2) NOT NULL)");
      s.execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer_id integer NOT NULL, product_id integer NOT NULL,"
          + " quantity integer NOT NULL, amount numeric(12,2) NOT NULL, status text NOT NULL, ordered_at timestamp NOT NULL)");
      s.execute("INSERT INTO customers SELECT i, 'customer ' || i,"
          + " (ARRAY['north','south','east','west','central'])[1 + i % 5] FROM generate_series(1, " + customers + ") i");
      s.execute("INSERT INTO products SELECT i, 'product ' || i,"
          + " (ARRAY['books','games','garden','kitchen','music','toys'])[1 + i % 6], (i % 100) + 0.99"
          + " FROM generate_series(1, " + PRODUCTS + ") i");
      s.execute("INSERT INTO orders SELECT i, 1 + (i * 7) % " + customers + ", 1 + (i * 13) % " + PRODUCTS + ","
          + " 1 + i % 5, (i * 31) % 1000 + 0.50,"
          + " (ARRAY['new','paid','shipped','delivered','cancelled'])[1 + i % 5],"
          + " timestamp '2026-01-01' + i * interval '1 second' FROM generate_series(1, " + rows + ") i");
      s.execute("ANALYZE");
      try (ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM products)"
          + " + (SELECT count(*) FROM orders)")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
