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
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes consolidated changes into one target table with upserts and deletes. Every value is
 * bound as text and cast to the column's own type, so PostgreSQL parses numerics, dates and
 * timestamps exactly as it would from a literal. The key is the primary key, or the unique
 * NULLS NOT DISTINCT key of a row key that may hold NULLs; deletes match NULL key values with
 * {@code IS NULL}.
 */
final class TargetWriter {
  /** SQLSTATE not_null_violation: permanent, like every integrity constraint violation. */
  static final String NOT_NULL_VIOLATION = "23502";
  /** SQLSTATE undefined_table and undefined_column: permanent until the target is fixed. */
  static final String UNDEFINED_TABLE = "42P01";
  static final String UNDEFINED_COLUMN = "42703";

  private final String table;
  private final Map<String, String> columnTypes = new LinkedHashMap<>();
  private final Set<String> notNull = new HashSet<>();
  /** The columns of the key upserts conflict on: the primary key or the unique key. */
  private final List<String> primaryKey = new ArrayList<>();
  private final Map<List<String>, String> upsertSql = new HashMap<>();
  private final Map<DeleteShape, String> deleteSql = new HashMap<>();

  /** The key columns of a delete and which of its values are NULL: one statement per shape. */
  private record DeleteShape(List<String> cols, List<Boolean> isNull) {}

  TargetWriter(Connection c, String table) throws SQLException {
    this.table = table;
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull"
            + " FROM pg_attribute a"
            + " WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped"
            + " ORDER BY a.attnum")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          columnTypes.put(rs.getString(1), rs.getString(2));
          if (rs.getBoolean(3)) {
            notNull.add(rs.getString(1));
          }
        }
      }
    }
    if (columnTypes.isEmpty()) {
      throw new SQLException("target table " + table + " does not exist", UNDEFINED_TABLE);
    }
    // The primary key, else a whole-column UNIQUE NULLS NOT DISTINCT index (PostgreSQL 15+),
    // which TargetTable creates for a row key that may hold NULLs.
    boolean nullsNotDistinct = TargetTable.serverVersionNum(c) >= TargetTable.NULLS_NOT_DISTINCT_SINCE;
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT a.attname FROM (SELECT i.indrelid, i.indkey FROM pg_index i"
            + " WHERE i.indrelid = ?::regclass AND (i.indisprimary"
            + (nullsNotDistinct ? " OR (i.indisunique AND i.indnullsnotdistinct"
                + " AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indimmediate)" : "")
            + ") ORDER BY i.indisprimary DESC, i.indexrelid LIMIT 1) k"
            + " CROSS JOIN LATERAL unnest(k.indkey) WITH ORDINALITY AS u(attnum, ord)"
            + " JOIN pg_attribute a ON a.attrelid = k.indrelid AND a.attnum = u.attnum"
            + " ORDER BY u.ord")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          primaryKey.add(rs.getString(1));
        }
      }
    }
  }

  /** Applies deletes first, then upserts; keys are already consolidated, so they commute. */
  long apply(Connection c, Map<String, Change> changes) throws SQLException {
    Map<DeleteShape, List<Change>> deletes = new LinkedHashMap<>();
    Map<List<String>, List<Change>> upserts = new LinkedHashMap<>();
    for (Change ch : changes.values()) {
      if (ch.value() == null) {
        deletes.computeIfAbsent(shape(ch.key()), k -> new ArrayList<>()).add(ch);
      } else {
        checkKeyNotNull(ch.key());
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
    for (Map.Entry<DeleteShape, List<Change>> e : deletes.entrySet()) {
      String sql = deleteSql.computeIfAbsent(e.getKey(), this::buildDelete);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (Change ch : e.getValue()) {
          bindNonNull(ps, e.getKey().cols(), ch.key());
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
      String text = OutputRecords.sqlText(v, type(col));
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
      String message = "target table " + table + " has no column " + col
          + "; the output topic and the table disagree (was a column dropped?)";
      throw new IllegalStateException(message, new SQLException(message, UNDEFINED_COLUMN));
    }
    return t;
  }

  /**
   * A NULL key value cannot go into a NOT NULL key column (a primary key on PostgreSQL 14 or
   * older): replaying the epoch would fail the same way, so the error names the column and is
   * permanent.
   */
  private void checkKeyNotNull(JsonNode key) throws SQLException {
    for (String col : fields(key)) {
      if (key.get(col).isNull() && notNull.contains(col)) {
        throw new SQLException("the result has a NULL in key column " + col + " (e.g. a NULL group),"
            + " but target table " + table + " declares " + col + " NOT NULL: PostgreSQL 14 and"
            + " older have no UNIQUE NULLS NOT DISTINCT, so a row key holding NULL cannot be"
            + " stored; upgrade the target database to PostgreSQL 15 or later, or filter the NULLs"
            + " out (WHERE " + col + " IS NOT NULL)", NOT_NULL_VIOLATION);
      }
    }
  }

  private static DeleteShape shape(JsonNode key) {
    List<String> cols = fields(key);
    List<Boolean> isNull = new ArrayList<>(cols.size());
    for (String col : cols) {
      isNull.add(key.get(col).isNull());
    }
    return new DeleteShape(cols, isNull);
  }

  private void bindNonNull(PreparedStatement ps, List<String> cols, JsonNode key)
      throws SQLException {
    int p = 1;
    for (String col : cols) {
      String text = OutputRecords.sqlText(key.get(col), type(col));
      if (text != null) {
        ps.setString(p++, text);
      }
    }
  }

  /** {@code col IS NULL} for a NULL value, an index-friendly equality otherwise. */
  private String buildDelete(DeleteShape shape) {
    StringBuilder sb = new StringBuilder("DELETE FROM ").append(table);
    for (int i = 0; i < shape.cols().size(); i++) {
      String col = shape.cols().get(i);
      sb.append(i == 0 ? " WHERE " : " AND ").append(TargetTable.quote(col));
      if (shape.isNull().get(i)) {
        sb.append(" IS NULL");
      } else {
        sb.append(" = CAST(? AS ").append(type(col)).append(')');
      }
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
