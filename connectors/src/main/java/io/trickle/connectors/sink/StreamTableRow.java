package io.trickle.connectors.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trickle.connectors.ddl.TrickleSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.Map;

/**
 * What the sink tasks read and write in a stream table's {@code trickle.stream_tables} row: the
 * offsets applied to the target, its generation, freshness and errors.
 */
final class StreamTableRow {
  private StreamTableRow() {}

  /**
   * Where the target stands in one output topic: per partition, the offset of the last marker
   * applied. A partition without an entry has nothing in the target (new, or the target was
   * (re)created empty): the sink reads it from its start, which as a compacted changelog holds
   * the complete state, whatever offsets the consumer group has committed.
   */
  record Applied(Map<Integer, Long> offsets, long generation) {
    /** The offset to read the partition from next. */
    long nextOffset(int partition) {
      Long applied = offsets.get(partition);
      return applied == null ? 0 : applied + 1;
    }
  }

  /**
   * The row's state for {@code topic}, or (nothing, -1) when there is no row yet. Commits the
   * read. The per-partition offsets are in {@code applied_offsets} (topic → partition → offset);
   * a row last written by a version without it has only {@code applied_offset}, the offset in
   * partition 0 of the one-partition topics of that time.
   */
  static Applied read(Connection c, String streamTable, String topic) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT applied_offset, applied_offsets IS NULL,"
        + " applied_offsets -> ?, generation FROM " + TrickleSchema.STREAM_TABLES + " WHERE name = ?")) {
      ps.setString(1, topic);
      ps.setString(2, streamTable);
      try (ResultSet rs = ps.executeQuery()) {
        Applied a = new Applied(Map.of(), -1);
        if (rs.next()) {
          Map<Integer, Long> offsets = new HashMap<>();
          Long legacy = (Long) rs.getObject(1);
          if (rs.getBoolean(2)) {
            if (legacy != null) {
              offsets.put(0, legacy);
            }
          } else if (rs.getString(3) != null) {
            OutputRecords.parse(rs.getString(3)).fields()
                .forEachRemaining(e -> offsets.put(Integer.valueOf(e.getKey()), e.getValue().asLong()));
          }
          a = new Applied(offsets, rs.getLong(4));
        }
        c.commit();
        return a;
      }
    }
  }

  /**
   * Records an applied step in the caller's transaction. A successful apply also ends an error
   * that the sink itself recorded (its cause is gone); errors of other origins stay.
   *
   * @param offsets the offset of the last applied marker of each partition of {@code topic} that
   *     this step moved; the stored offsets of other partitions are kept. {@code applied_offset}
   *     follows partition 0, so that with one partition it holds what it always held
   * @return false when the row's generation is no longer {@code generation}: the target was
   *     recreated since the sink read it, and the caller must roll back and re-read
   */
  static boolean applied(Connection c, String streamTable, long generation, String lsn, long tsMs,
      String topic, Map<Integer, Long> offsets, long epochs, long changes) throws SQLException {
    String keepError = "status = 'error' AND error_source IS DISTINCT FROM '" + TrickleSchema.ERROR_SINK + "'";
    ObjectNode moved = OutputRecords.JSON.createObjectNode();
    offsets.forEach((p, o) -> moved.put(Integer.toString(p), o));
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + TrickleSchema.STREAM_TABLES
        + " SET status = CASE WHEN " + keepError + " THEN status ELSE 'running' END,"
        + " error = CASE WHEN " + keepError + " THEN error END,"
        + " error_source = CASE WHEN " + keepError + " THEN error_source END,"
        + " reflected_lsn = greatest(reflected_lsn, CAST(? AS pg_lsn)),"
        + " source_ts = to_timestamp(? / 1000.0), lag_ms = ?,"
        + " applied_offset = coalesce(?, applied_offset),"
        // Only the member's current topic is kept; a row of an earlier version starts from its
        // applied_offset as partition 0.
        + " applied_offsets = jsonb_build_object(CAST(? AS text), coalesce(applied_offsets -> CAST(? AS text),"
        + " CASE WHEN applied_offsets IS NULL AND applied_offset IS NOT NULL"
        + " THEN jsonb_build_object('0', applied_offset) END, '{}'::jsonb) || CAST(? AS jsonb)),"
        + " epochs_applied = epochs_applied + ?, changes_applied = changes_applied + ?,"
        + " updated_at = now() WHERE name = ? AND generation = ?")) {
      int i = 1;
      ps.setString(i++, lsn);
      ps.setLong(i++, tsMs);
      ps.setLong(i++, Math.max(0, System.currentTimeMillis() - tsMs));
      ps.setObject(i++, offsets.get(0), Types.BIGINT);
      ps.setString(i++, topic);
      ps.setString(i++, topic);
      ps.setString(i++, moved.toString());
      ps.setLong(i++, epochs);
      ps.setLong(i++, changes);
      ps.setString(i++, streamTable);
      ps.setLong(i, generation);
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
