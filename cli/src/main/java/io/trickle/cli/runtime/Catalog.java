package io.trickle.cli.runtime;

import io.trickle.connectors.ddl.TrickleSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads and writes the rows of {@code trickle.stream_tables} that describe deployments. */
public final class Catalog {
  private Catalog() {}

  /** The plan hash a stream table was last deployed with, or null. */
  public static String deployedHash(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT plan_hash FROM " + TrickleSchema.STREAM_TABLES + " WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** Registers a (re)created stream table; freshness starts over. */
  public static void register(Connection c, String name, String target, String definition,
      String planHash) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TrickleSchema.STREAM_TABLES
        + " (name, target_table, definition, plan_hash, status) VALUES (?, ?, ?, ?, 'starting')"
        + " ON CONFLICT (name) DO UPDATE SET target_table = EXCLUDED.target_table,"
        + " definition = EXCLUDED.definition, plan_hash = EXCLUDED.plan_hash, status = 'starting',"
        + " error = NULL, reflected_lsn = NULL, source_ts = NULL, lag_ms = NULL,"
        + " applied_offset = NULL, epochs_applied = 0, changes_applied = 0, updated_at = now()")) {
      ps.setString(1, name);
      ps.setString(2, target);
      ps.setString(3, definition);
      ps.setString(4, planHash);
      ps.executeUpdate();
    }
  }

  /** Marks a stream table failed; {@code trickle wait} and {@code status} report the message. */
  public static void markError(Connection c, String name, String target, String definition,
      String message) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TrickleSchema.STREAM_TABLES
        + " (name, target_table, definition, plan_hash, status, error) VALUES (?, ?, ?, '', 'error', ?)"
        + " ON CONFLICT (name) DO UPDATE SET status = 'error', error = EXCLUDED.error,"
        + " definition = EXCLUDED.definition, updated_at = now()")) {
      ps.setString(1, name);
      ps.setString(2, target);
      ps.setString(3, definition);
      ps.setString(4, message);
      ps.executeUpdate();
    }
  }

  public static void markError(PgUrl pg, String name, String message) {
    try (Connection c = pg.connect();
        PreparedStatement ps = c.prepareStatement("UPDATE " + TrickleSchema.STREAM_TABLES
            + " SET status = 'error', error = ?, updated_at = now() WHERE name = ?")) {
      ps.setString(1, message);
      ps.setString(2, name);
      ps.executeUpdate();
    } catch (SQLException e) {
      org.slf4j.LoggerFactory.getLogger(Catalog.class)
          .error("cannot record the failure of {} in PostgreSQL: {}", name, e.getMessage());
    }
  }
}
