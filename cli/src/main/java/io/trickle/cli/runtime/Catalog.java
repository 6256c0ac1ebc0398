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

  /**
   * An error that a restart does not cure: the query failed on a row, whose change was skipped,
   * and a restarted application continues after it. It ends when the target is recreated.
   */
  private static final String STICKY = TrickleSchema.STREAM_TABLES + ".status = 'error' AND "
      + TrickleSchema.STREAM_TABLES + ".error_source = '" + TrickleSchema.ERROR_STREAM + "'";

  /**
   * Records, before anything is compiled, that this deployment maintains the stream table: status
   * {@code starting} until its sink applies an epoch, so {@code trickle wait} waits for it from the
   * moment {@code run} starts; a restart is a retry, so earlier errors end, except a
   * {@link #STICKY} one. What was applied before (offset, LSN, generation) stays: an unchanged
   * stream table continues from there.
   */
  public static void declare(Connection c, String name, String target, String definition)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TrickleSchema.STREAM_TABLES
        + " (name, target_table, definition, plan_hash, status) VALUES (?, ?, ?, '', 'starting')"
        + " ON CONFLICT (name) DO UPDATE SET status = CASE WHEN " + STICKY + " THEN 'error' ELSE 'starting' END,"
        + " error = CASE WHEN " + STICKY + " THEN " + TrickleSchema.STREAM_TABLES + ".error END,"
        + " error_source = CASE WHEN " + STICKY + " THEN " + TrickleSchema.STREAM_TABLES + ".error_source END,"
        + " updated_at = now()")) {
      ps.setString(1, name);
      ps.setString(2, target);
      ps.setString(3, definition);
      ps.executeUpdate();
    }
  }

  /**
   * Registers a (re)created, empty target; freshness starts over. The new generation and the
   * missing applied offset make the sink rebuild the table from the start of the output topic,
   * even if its consumer group had committed offsets for an earlier table of that name.
   */
  public static void register(Connection c, String name, String target, String definition,
      String planHash) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TrickleSchema.STREAM_TABLES
        + " (name, target_table, definition, plan_hash, status) VALUES (?, ?, ?, ?, 'starting')"
        + " ON CONFLICT (name) DO UPDATE SET target_table = EXCLUDED.target_table,"
        + " definition = EXCLUDED.definition, plan_hash = EXCLUDED.plan_hash, status = 'starting',"
        + " error = NULL, error_source = NULL, generation = " + TrickleSchema.STREAM_TABLES + ".generation + 1,"
        + " reflected_lsn = NULL, source_ts = NULL, lag_ms = NULL,"
        + " applied_offset = NULL, applied_offsets = NULL, epochs_applied = 0, changes_applied = 0, updated_at = now()")) {
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
        + " (name, target_table, definition, plan_hash, status, error, error_source)"
        + " VALUES (?, ?, ?, '', 'error', ?, '" + TrickleSchema.ERROR_DEPLOY + "')"
        + " ON CONFLICT (name) DO UPDATE SET status = 'error', error = EXCLUDED.error,"
        + " error_source = EXCLUDED.error_source,"
        + " definition = EXCLUDED.definition, updated_at = now()")) {
      ps.setString(1, name);
      ps.setString(2, target);
      ps.setString(3, definition);
      ps.setString(4, message);
      ps.executeUpdate();
    }
  }

  /** The row name of a definitions file that could not be parsed (so its stream table has no name). */
  public static String unreadableName(java.nio.file.Path file) {
    return UNREADABLE_PREFIX + file.getFileName();
  }

  private static final String UNREADABLE_PREFIX = "file:";

  /**
   * Records each definitions file that could not be parsed as a row in error (named
   * {@code file:<file name>}, since its stream table has no name), and removes such rows of files
   * that are no longer unreadable: {@code status} shows them and {@code wait} fails with their
   * message instead of reporting the others current.
   */
  public static void recordUnreadable(Connection c, java.util.Map<java.nio.file.Path, String> failures)
      throws SQLException {
    inTransaction(c, () -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + TrickleSchema.STREAM_TABLES
          + " WHERE name LIKE '" + UNREADABLE_PREFIX + "%' AND plan_hash = ''")) {
        ps.executeUpdate();
      }
      for (java.util.Map.Entry<java.nio.file.Path, String> f : failures.entrySet()) {
        markError(c, unreadableName(f.getKey()), "", "", f.getKey() + ": " + f.getValue());
      }
    });
  }

  /** Work on the catalog's connection that must commit as a whole. */
  @FunctionalInterface
  public interface SqlWork {
    void run() throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction on {@code c}: committed if it completes, rolled back if
   * it throws; the connection's auto-commit mode is restored either way.
   */
  public static void inTransaction(Connection c, SqlWork work) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      work.run();
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  /** Marks a stream table failed because it could not be deployed. */
  public static void markError(PgUrl pg, String name, String message) {
    markError(pg, name, message, TrickleSchema.ERROR_DEPLOY);
  }

  /**
   * Marks a stream table failed, unless it already is (the first reason is the most specific).
   *
   * @param source who can tell when the cause is gone: one of {@code TrickleSchema.ERROR_*}
   */
  public static void markError(PgUrl pg, String name, String message, String source) {
    update(pg, name, "UPDATE " + TrickleSchema.STREAM_TABLES
        + " SET status = 'error', error = ?, error_source = ?, updated_at = now()"
        + " WHERE name = ? AND status <> 'error'", message, source);
  }

  /**
   * Ends an error that {@code source} recorded, once its cause is gone (a restarted connector or
   * application stayed up). Errors of other origins stay.
   *
   * @return true when the stream table was in error from that source
   */
  public static boolean clearError(PgUrl pg, String name, String source) {
    return update(pg, name, "UPDATE " + TrickleSchema.STREAM_TABLES
        + " SET status = 'running', error = NULL, error_source = NULL, updated_at = now()"
        + " WHERE status = 'error' AND error_source = ? AND name = ?", source) > 0;
  }

  private static int update(PgUrl pg, String name, String sql, String... before) {
    try (Connection c = pg.connect();
        PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      for (String b : before) {
        ps.setString(i++, b);
      }
      ps.setString(i, name);
      return ps.executeUpdate();
    } catch (SQLException e) {
      org.slf4j.LoggerFactory.getLogger(Catalog.class)
          .error("cannot record the state of {} in PostgreSQL: {}", name, e.getMessage());
      return 0;
    }
  }

  /**
   * The oid of the target table trickle created for a stream table, or null: the proof that a
   * table of that name is trickle's own, which it may drop and replace.
   */
  public static Long targetOid(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT target_oid FROM " + TrickleSchema.STREAM_TABLES + " WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        long oid = rs.getLong(1);
        return rs.wasNull() ? null : oid;
      }
    }
  }

  /** Records the oid of the target table trickle has just created for a stream table. */
  public static void recordTargetOid(Connection c, String name, long oid) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE " + TrickleSchema.STREAM_TABLES + " SET target_oid = ? WHERE name = ?")) {
      ps.setLong(1, oid);
      ps.setString(2, name);
      ps.executeUpdate();
    }
  }
}
