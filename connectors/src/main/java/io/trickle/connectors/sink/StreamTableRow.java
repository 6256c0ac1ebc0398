package io.trickle.connectors.sink;

import io.trickle.connectors.ddl.TrickleSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/**
 * What the sink tasks read and write in a stream table's {@code trickle.stream_tables} row: the
 * offset applied to the target, its generation, freshness and errors. One place, so the single
 * and the group sink agree.
 */
final class StreamTableRow {
  private StreamTableRow() {}

  /**
   * Where the target stands. {@code appliedOffset} null means nothing of the output topic is in
   * the target (new, or (re)created empty): the sink must read the topic from its start, which
   * as a compacted changelog holds the complete state, whatever offsets the consumer group has
   * committed.
   */
  record Applied(Long appliedOffset, long generation) {
    /** The offset to read from next. */
    long nextOffset() {
      return appliedOffset == null ? 0 : appliedOffset + 1;
    }
  }

  /** The row's state, or (null, -1) when there is no row yet. Commits the read. */
  static Applied read(Connection c, String streamTable) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT applied_offset, generation FROM "
        + TrickleSchema.STREAM_TABLES + " WHERE name = ?")) {
      ps.setString(1, streamTable);
      try (ResultSet rs = ps.executeQuery()) {
        Applied a = rs.next() ? new Applied((Long) rs.getObject(1), rs.getLong(2)) : new Applied(null, -1);
        c.commit();
        return a;
      }
    }
  }

  /**
   * Records an applied step in the caller's transaction. A successful apply also ends an error
   * that the sink itself recorded (its cause is gone); errors of other origins stay.
   *
   * @param offset the output-topic offset of the last applied marker, or null to keep the stored one
   * @return false when the row's generation is no longer {@code generation}: the target was
   *     recreated since the sink read it, and the caller must roll back and re-read
   */
  static boolean applied(Connection c, String streamTable, long generation, String lsn, long tsMs,
      Long offset, long epochs, long changes) throws SQLException {
    String keepError = "status = 'error' AND error_source IS DISTINCT FROM '" + TrickleSchema.ERROR_SINK + "'";
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + TrickleSchema.STREAM_TABLES
        + " SET status = CASE WHEN " + keepError + " THEN status ELSE 'running' END,"
        + " error = CASE WHEN " + keepError + " THEN error END,"
        + " error_source = CASE WHEN " + keepError + " THEN error_source END,"
        + " reflected_lsn = greatest(reflected_lsn, CAST(? AS pg_lsn)),"
        + " source_ts = to_timestamp(? / 1000.0), lag_ms = ?,"
        + " applied_offset = coalesce(?, applied_offset),"
        + " epochs_applied = epochs_applied + ?, changes_applied = changes_applied + ?,"
        + " updated_at = now() WHERE name = ? AND generation = ?")) {
      ps.setString(1, lsn);
      ps.setLong(2, tsMs);
      ps.setLong(3, Math.max(0, System.currentTimeMillis() - tsMs));
      ps.setObject(4, offset, Types.BIGINT);
      ps.setLong(5, epochs);
      ps.setLong(6, changes);
      ps.setString(7, streamTable);
      ps.setLong(8, generation);
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * Marks the stream table failed and commits; {@code source} is one of TrickleSchema.ERROR_*. An
   * error of the query itself (a skipped row) is kept: it outlives any sink failure.
   */
  static void recordError(Connection c, String streamTable, String message, String source)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + TrickleSchema.STREAM_TABLES
        + " SET status = 'error', error = ?, error_source = ?, updated_at = now() WHERE name = ?"
        + " AND NOT (status = 'error' AND error_source IS NOT DISTINCT FROM '" + TrickleSchema.ERROR_STREAM + "')")) {
      ps.setString(1, message);
      ps.setString(2, source);
      ps.setString(3, streamTable);
      ps.executeUpdate();
      c.commit();
    }
  }
}
