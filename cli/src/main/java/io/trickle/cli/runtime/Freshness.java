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
   * Blocks until every stream table of the deployment exists and reflects the WAL position
   * current at the call. While the deployment is still starting (no {@code trickle} schema yet,
   * no stream table declared yet, a stream table {@code starting} or its target missing), it
   * keeps waiting; "nothing registered" is never "all current". A heartbeat write right after
   * reading that position (as soon as the heartbeat table exists) guarantees a change event
   * beyond it, so an idle database does not wait for the next scheduled heartbeat.
   *
   * @return null on success, else why waiting failed: a stream table in error (with its
   *     message), or on timeout what it was still waiting for
   */
  public static String await(Connection c, Duration timeout) throws SQLException, InterruptedException {
    String target;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
      rs.next();
      target = rs.getString(1);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean heartbeat = false;
    while (true) {
      List<String> waitingFor = new ArrayList<>();
      if (!exists(c, TrickleSchema.STREAM_TABLES)) {
        waitingFor.add("no trickle deployment in this database yet (schema " + TrickleSchema.SCHEMA
            + " is missing; is trickle run starting?)");
      } else {
        if (!heartbeat && exists(c, TrickleSchema.HEARTBEAT)) {
          try (Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE " + TrickleSchema.HEARTBEAT + " SET ts = now() WHERE id = 1");
          }
          heartbeat = true;
        }
        String error = behind(c, target, waitingFor);
        if (error != null) {
          return error;
        }
      }
      if (waitingFor.isEmpty()) {
        return null;
      }
      if (System.nanoTime() > deadline) {
        return "timed out after " + timeout.toMillis() + " ms waiting for WAL position " + target
            + "; still waiting for: " + String.join(", ", waitingFor);
      }
      Thread.sleep(20);
    }
  }

  /**
   * Adds to {@code waitingFor} each stream table that does not yet reflect {@code target}.
   *
   * @return the error of a stream table in error, else null
   */
  private static String behind(Connection c, String target, List<String> waitingFor) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT name, status, error,"
        + " coalesce(reflected_lsn >= CAST(? AS pg_lsn), false), reflected_lsn::text,"
        // Only for running rows: the row of an unreadable file has no table name.
        + " CASE WHEN status = 'running' THEN to_regclass(target_table) IS NOT NULL END"
        + " FROM " + TrickleSchema.STREAM_TABLES + " ORDER BY name")) {
      ps.setString(1, target);
      try (ResultSet rs = ps.executeQuery()) {
        boolean any = false;
        while (rs.next()) {
          any = true;
          String name = rs.getString(1);
          String status = rs.getString(2);
          if ("error".equals(status)) {
            return "stream table " + name + " is in error: " + rs.getString(3);
          }
          if (!"running".equals(status)) {
            waitingFor.add(name + " (" + status + ")");
          } else if (!rs.getBoolean(6)) {
            waitingFor.add(name + " (its table is missing)");
          } else if (!rs.getBoolean(4)) {
            waitingFor.add(name + " (at " + rs.getString(5) + ")");
          }
        }
        if (!any) {
          waitingFor.add("no stream table is registered yet");
        }
      }
    }
    return null;
  }

  private static boolean exists(Connection c, String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }
}
