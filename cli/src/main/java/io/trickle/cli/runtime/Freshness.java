package io.trickle.cli.runtime;

import io.trickle.connectors.ddl.TrickleSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Freshness as recorded in {@code trickle.stream_tables} by the sinks: what {@code trickle
 * status} prints and what {@code trickle wait} waits for.
 */
public final class Freshness {
  private Freshness() {}

  /** One stream table's recorded state. {@code behind} is true while it lags {@code target}. */
  public record Row(String name, String target, String status, String error, String reflectedLsn,
      Long lagMs, long epochs, double secondsSinceApply, Long rows) {}

  public static List<Row> read(Connection c, boolean countRows) throws SQLException {
    List<Row> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT name, target_table, status, error, reflected_lsn::text,"
            + " lag_ms, epochs_applied, extract(epoch FROM now() - updated_at)::float8"
            + " FROM " + TrickleSchema.STREAM_TABLES + " ORDER BY name")) {
      while (rs.next()) {
        out.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(5), (Long) rs.getObject(6), rs.getLong(7), rs.getDouble(8), null));
      }
    }
    if (!countRows) {
      return out;
    }
    List<Row> counted = new ArrayList<>();
    for (Row r : out) {
      Long rows = null;
      if (!"error".equals(r.status()) || r.reflectedLsn() != null) {
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT count(*) FROM " + r.target())) {
          rs.next();
          rows = rs.getLong(1);
        } catch (SQLException e) {
          rows = null;
        }
      }
      counted.add(new Row(r.name(), r.target(), r.status(), r.error(), r.reflectedLsn(), r.lagMs(),
          r.epochs(), r.secondsSinceApply(), rows));
    }
    return counted;
  }

  public static String format(Row r) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%-24s %-8s", r.name(), r.status()));
    sb.append(String.format(" rows=%-8s", r.rows() == null ? "-" : r.rows().toString()));
    sb.append(String.format(" lag=%-8s", r.lagMs() == null ? "-" : r.lagMs() + "ms"));
    sb.append(" lsn=").append(r.reflectedLsn() == null ? "-" : r.reflectedLsn());
    sb.append(String.format(" applied=%.1fs ago", r.secondsSinceApply()));
    if (r.error() != null) {
      sb.append(" error: ").append(r.error());
    }
    return sb.toString();
  }

  /**
   * Blocks until every stream table reflects the WAL position current at the call. A heartbeat
   * write right after reading that position guarantees a change event beyond it, so an idle
   * database does not wait for the next scheduled heartbeat.
   *
   * @return null on success, else why waiting failed
   */
  public static String await(Connection c, Duration timeout) throws SQLException, InterruptedException {
    String target;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
      rs.next();
      target = rs.getString(1);
    }
    try (Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE " + TrickleSchema.HEARTBEAT + " SET ts = now() WHERE id = 1");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> behind = new ArrayList<>();
    while (true) {
      behind.clear();
      try (PreparedStatement ps = c.prepareStatement("SELECT name, status, error,"
          + " coalesce(reflected_lsn >= CAST(? AS pg_lsn), false), reflected_lsn::text"
          + " FROM " + TrickleSchema.STREAM_TABLES + " ORDER BY name")) {
        ps.setString(1, target);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if ("error".equals(rs.getString(2))) {
              return "stream table " + rs.getString(1) + " is in error: " + rs.getString(3);
            }
            if (!rs.getBoolean(4)) {
              behind.add(rs.getString(1) + " (at " + rs.getString(5) + ")");
            }
          }
        }
      }
      if (behind.isEmpty()) {
        return null;
      }
      if (System.nanoTime() > deadline) {
        return "timed out after " + timeout.toMillis() + " ms waiting for WAL position " + target
            + "; still behind: " + String.join(", ", behind);
      }
      Thread.sleep(20);
    }
  }
}
