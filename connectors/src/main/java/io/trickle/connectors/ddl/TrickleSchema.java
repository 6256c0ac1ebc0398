package io.trickle.connectors.ddl;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The {@code trickle} schema in the target database: the catalog of stream tables with their
 * freshness (what {@code trickle status} and {@code trickle wait} read), and the heartbeat table
 * that gives idle databases LSN ticks.
 */
public final class TrickleSchema {
  public static final String SCHEMA = "trickle";
  public static final String STREAM_TABLES = SCHEMA + ".stream_tables";
  public static final String HEARTBEAT = SCHEMA + ".heartbeat";
  /** Debezium signal table: incremental snapshots of tables added to a running deployment. */
  public static final String SIGNAL = SCHEMA + ".debezium_signal";

  /**
   * Who set a stream table's {@code error}. An error is cleared only by the party that can tell
   * its cause is gone: the sink after it applied an epoch ({@link #ERROR_SINK}), the supervisor of
   * {@code trickle run} after a restarted connector or application stayed up ({@link #ERROR_CONNECT},
   * {@link #ERROR_APP}, {@link #ERROR_CAPTURE}). The others ({@link #ERROR_STREAM}: the query failed on a row;
   * {@link #ERROR_DEPLOY}: the definition could not be deployed) stay until the stream table is
   * deployed again.
   */
  public static final String ERROR_SINK = "sink";
  public static final String ERROR_CONNECT = "connect";
  public static final String ERROR_APP = "app";
  /** The capture stage of the database stopped; cleared when its restart stays up. */
  public static final String ERROR_CAPTURE = "capture";
  public static final String ERROR_STREAM = "stream";
  public static final String ERROR_DEPLOY = "deploy";

  /** Per-partition applied offsets; a row without them resumes partition 0 at applied_offset. */
  private static final String ADD_APPLIED_OFFSETS =
      "ALTER TABLE " + STREAM_TABLES + " ADD COLUMN IF NOT EXISTS applied_offsets jsonb";

  private TrickleSchema() {}

  /**
   * Adds the sink's columns that a catalog of an earlier version lacks, and commits. The sinks
   * call it on connecting: an upgraded Connect worker starts them before {@code trickle run}
   * runs {@link #ensure}. A read of pg_attribute when they are there.
   */
  public static void ensureSinkColumns(Connection c) throws SQLException {
    boolean missing;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT to_regclass('" + STREAM_TABLES + "') IS NOT NULL"
            + " AND NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('" + STREAM_TABLES
            + "') AND attname = 'applied_offsets' AND NOT attisdropped)")) {
      missing = rs.next() && rs.getBoolean(1);
    }
    if (missing) {
      try (Statement s = c.createStatement()) {
        s.execute(ADD_APPLIED_OFFSETS);
      }
    }
    c.commit();
  }

  public static void ensure(Connection c) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(true);
    try (Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
      s.execute("CREATE TABLE IF NOT EXISTS " + STREAM_TABLES + " ("
          + " name text PRIMARY KEY,"
          + " target_table text NOT NULL,"
          + " definition text NOT NULL,"
          + " plan_hash text NOT NULL,"
          + " status text NOT NULL," // starting | running | error
          + " error text,"
          + " error_source text," // who set the error, so that only it clears it (ERROR_* below)
          + " reflected_lsn pg_lsn,"
          + " source_ts timestamptz,"
          + " lag_ms bigint,"
          + " applied_offset bigint," // partition 0's entry of applied_offsets, as before partitions
          // {"<output topic>": {"<partition>": offset of the last applied marker}}; see the sink
          + " applied_offsets jsonb,"
          + " epochs_applied bigint NOT NULL DEFAULT 0,"
          + " changes_applied bigint NOT NULL DEFAULT 0,"
          + " updated_at timestamptz NOT NULL DEFAULT now(),"
          // Bumped whenever the target is (re)created empty: a sink that applied to an older
          // generation re-reads the output topic from its start (see the sink tasks).
          + " generation bigint NOT NULL DEFAULT 0)");
      // Catalogs created by earlier versions.
      s.execute("ALTER TABLE " + STREAM_TABLES + " ADD COLUMN IF NOT EXISTS error_source text");
      s.execute("ALTER TABLE " + STREAM_TABLES + " ADD COLUMN IF NOT EXISTS generation bigint NOT NULL DEFAULT 0");
      // The oid of the target table trickle created: the only table it may drop or replace.
      s.execute("ALTER TABLE " + STREAM_TABLES + " ADD COLUMN IF NOT EXISTS target_oid oid");
      s.execute(ADD_APPLIED_OFFSETS);
      s.execute("CREATE TABLE IF NOT EXISTS " + HEARTBEAT + " (id int PRIMARY KEY, ts timestamptz)");
      s.execute("INSERT INTO " + HEARTBEAT + " VALUES (1, now()) ON CONFLICT (id) DO NOTHING");
      s.execute("CREATE TABLE IF NOT EXISTS " + SIGNAL
          + " (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048))");
    } finally {
      c.setAutoCommit(auto);
    }
  }
}
