package io.trickle.connectors.ddl;

import java.sql.Connection;
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

  private TrickleSchema() {}

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
          + " reflected_lsn pg_lsn,"
          + " source_ts timestamptz,"
          + " lag_ms bigint,"
          + " applied_offset bigint,"
          + " epochs_applied bigint NOT NULL DEFAULT 0,"
          + " changes_applied bigint NOT NULL DEFAULT 0,"
          + " updated_at timestamptz NOT NULL DEFAULT now())");
      // The oid of the target table trickle created: the only table it may drop or replace.
      s.execute("ALTER TABLE " + STREAM_TABLES + " ADD COLUMN IF NOT EXISTS target_oid oid");
      s.execute("CREATE TABLE IF NOT EXISTS " + HEARTBEAT + " (id int PRIMARY KEY, ts timestamptz)");
      s.execute("INSERT INTO " + HEARTBEAT + " VALUES (1, now()) ON CONFLICT (id) DO NOTHING");
      s.execute("CREATE TABLE IF NOT EXISTS " + SIGNAL
          + " (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048))");
    } finally {
      c.setAutoCommit(auto);
    }
  }
}
