package io.trickle.cli.oracle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What Debezium knows about a captured table: its name and, per column, the PostgreSQL type (oid
 * and typmod, which decide the JSON encoding) and whether it is part of the replica identity
 * (the primary key under {@code REPLICA IDENTITY DEFAULT}).
 */
public record PgTable(String schema, String name, List<PgColumn> columns) {
  public record PgColumn(String name, int typeOid, int typmod, boolean key) {}

  public PgTable {
    columns = List.copyOf(columns);
  }

  public String qualifiedName() {
    return schema + "." + name;
  }

  /** Reads the catalog (as pgoutput's Relation message would describe the table). */
  public static PgTable load(Connection c, String schema, String name) throws SQLException {
    List<PgColumn> cols = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT a.attname, a.atttypid::int, a.atttypmod, coalesce(a.attnum = ANY (i.indkey), false)"
            + " FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid"
            + " JOIN pg_namespace n ON n.oid = t.relnamespace"
            + " LEFT JOIN pg_index i ON i.indrelid = t.oid AND i.indisprimary"
            + " WHERE n.nspname = ? AND t.relname = ? AND a.attnum > 0 AND NOT a.attisdropped"
            + " ORDER BY a.attnum")) {
      ps.setString(1, schema);
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          cols.add(new PgColumn(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getBoolean(4)));
        }
      }
    }
    if (cols.isEmpty()) {
      throw new SQLException("no table " + schema + "." + name);
    }
    return new PgTable(schema, name, cols);
  }
}
