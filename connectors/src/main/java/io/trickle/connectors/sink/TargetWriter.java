package io.trickle.connectors.sink;

import com.fasterxml.jackson.databind.JsonNode;
import io.trickle.connectors.ddl.TargetTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes consolidated changes into one target table with upserts and deletes. Every value is
 * bound as text and cast to the column's own type, so PostgreSQL parses numerics, dates and
 * timestamps exactly as it would from a literal.
 */
final class TargetWriter {
  private final String table;
  private final Map<String, String> columnTypes = new LinkedHashMap<>();
  private final List<String> primaryKey = new ArrayList<>();
  private final Map<List<String>, String> upsertSql = new HashMap<>();
  private final Map<List<String>, String> deleteSql = new HashMap<>();

  TargetWriter(Connection c, String table) throws SQLException {
    this.table = table;
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod),"
            + " coalesce(a.attnum = ANY (i.indkey), false)"
            + " FROM pg_attribute a LEFT JOIN pg_index i"
            + " ON i.indrelid = a.attrelid AND i.indisprimary"
            + " WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped"
            + " ORDER BY a.attnum")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          columnTypes.put(rs.getString(1), rs.getString(2));
          if (rs.getBoolean(3)) {
            primaryKey.add(rs.getString(1));
          }
        }
      }
    }
    if (columnTypes.isEmpty()) {
      throw new SQLException("target table " + table + " does not exist");
    }
  }

  /** Applies deletes first, then upserts; keys are already consolidated, so they commute. */
  long apply(Connection c, Map<String, Change> changes) throws SQLException {
    Map<List<String>, List<Change>> deletes = new LinkedHashMap<>();
    Map<List<String>, List<Change>> upserts = new LinkedHashMap<>();
    for (Change ch : changes.values()) {
      if (ch.value() == null) {
        deletes.computeIfAbsent(fields(ch.key()), k -> new ArrayList<>()).add(ch);
      } else {
        List<String> cols = new ArrayList<>(fields(ch.key()));
        for (String f : fields(ch.value())) {
          if (!cols.contains(f)) {
            cols.add(f);
          }
        }
        upserts.computeIfAbsent(cols, k -> new ArrayList<>()).add(ch);
      }
    }
    long n = 0;
    for (Map.Entry<List<String>, List<Change>> e : deletes.entrySet()) {
      String sql = deleteSql.computeIfAbsent(e.getKey(), this::buildDelete);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (Change ch : e.getValue()) {
          bind(ps, e.getKey(), ch.key(), null);
          ps.addBatch();
          n++;
        }
        ps.executeBatch();
      }
    }
    for (Map.Entry<List<String>, List<Change>> e : upserts.entrySet()) {
      String sql = upsertSql.computeIfAbsent(e.getKey(), this::buildUpsert);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (Change ch : e.getValue()) {
          bind(ps, e.getKey(), ch.key(), ch.value());
          ps.addBatch();
          n++;
        }
        ps.executeBatch();
      }
    }
    return n;
  }

  private void bind(PreparedStatement ps, List<String> cols, JsonNode key, JsonNode value)
      throws SQLException {
    for (int i = 0; i < cols.size(); i++) {
      String col = cols.get(i);
      JsonNode v = value != null && value.has(col) ? value.get(col) : key.get(col);
      String text = OutputRecords.sqlText(v);
      if (text == null) {
        ps.setNull(i + 1, Types.VARCHAR);
      } else {
        ps.setString(i + 1, text);
      }
    }
  }

  private String type(String col) {
    String t = columnTypes.get(col);
    if (t == null) {
      throw new IllegalStateException("target table " + table + " has no column " + col
          + "; the output topic and the table disagree (was the stream table redefined?)");
    }
    return t;
  }

  private String buildDelete(List<String> keyCols) {
    StringBuilder sb = new StringBuilder("DELETE FROM ").append(table);
    for (int i = 0; i < keyCols.size(); i++) {
      sb.append(i == 0 ? " WHERE " : " AND ");
      sb.append(TargetTable.quote(keyCols.get(i))).append(" = CAST(? AS ")
          .append(type(keyCols.get(i))).append(')');
    }
    return sb.toString();
  }

  private String buildUpsert(List<String> cols) {
    StringBuilder sb = new StringBuilder("INSERT INTO ").append(table).append(" (");
    StringBuilder vals = new StringBuilder();
    StringBuilder set = new StringBuilder();
    for (int i = 0; i < cols.size(); i++) {
      String q = TargetTable.quote(cols.get(i));
      sb.append(i == 0 ? "" : ", ").append(q);
      vals.append(i == 0 ? "" : ", ").append("CAST(? AS ").append(type(cols.get(i))).append(')');
      if (!primaryKey.contains(cols.get(i))) {
        set.append(set.length() == 0 ? "" : ", ").append(q).append(" = EXCLUDED.").append(q);
      }
    }
    sb.append(") VALUES (").append(vals).append(") ON CONFLICT (");
    for (int i = 0; i < primaryKey.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(TargetTable.quote(primaryKey.get(i)));
    }
    sb.append(set.length() == 0 ? ") DO NOTHING" : ") DO UPDATE SET " + set);
    return sb.toString();
  }

  private static List<String> fields(JsonNode obj) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  /** One consolidated change: the key, and the new row or null for a delete. */
  record Change(JsonNode key, JsonNode value) {}
}
