package io.trickle.cli.runtime;

import io.trickle.compiler.plan.Column;
import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.RowKey;
import io.trickle.connectors.ddl.TargetTable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The correctness oracle (DESIGN §10): a stream table must equal its defining query as
 * PostgreSQL runs it, as multisets over the user columns. Numerics compare by value (PostgreSQL's
 * own equality); floating-point columns are rounded to 9 significant digits on both sides, since
 * float sums drift with evaluation order.
 */
public final class Oracle {
  private Oracle() {}

  /** The outcome: {@code missing} rows are in the query but not the table, {@code extra} the reverse. */
  public record Result(String streamTable, long queryRows, long tableRows, long missing, long extra,
      long badCounts, List<String> samples) {
    public boolean ok() {
      return missing == 0 && extra == 0 && badCounts == 0;
    }

    public String summary() {
      return ok()
          ? String.format("%s: OK (%d rows equal the query)", streamTable, tableRows)
          : String.format("%s: DIFFERS (query %d rows, table %d rows, %d missing, %d extra, %d bad counts) %s",
              streamTable, queryRows, tableRows, missing, extra, badCounts, samples);
    }
  }

  public static Result check(Connection c, String streamTable, String target, String selectSql,
      List<Column> columns, RowKey key) throws SQLException {
    List<String> q = new ArrayList<>();
    List<String> t = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      Column col = columns.get(i);
      String name = TargetTable.quote(col.name());
      q.add(normalise("q." + name, col.type()) + " AS c" + i);
      t.add(normalise("t." + name, col.type()) + " AS c" + i);
    }
    String tableRows = key.unique()
        ? "SELECT " + String.join(", ", t) + " FROM " + target + " t"
        : "SELECT " + String.join(", ", t) + " FROM " + target + " t, generate_series(1, t."
            + TargetTable.COUNT_COLUMN + ")";
    String queryRows = "SELECT " + String.join(", ", q) + " FROM (" + stripSemicolon(selectSql) + ") q";
    String sql = "WITH qr AS (" + queryRows + "), tr AS (" + tableRows + ")"
        + " SELECT 'missing' AS side, m.*::text FROM (SELECT * FROM qr EXCEPT ALL SELECT * FROM tr) m"
        + " UNION ALL SELECT 'extra', e.*::text FROM (SELECT * FROM tr EXCEPT ALL SELECT * FROM qr) e";
    long missing = 0;
    long extra = 0;
    List<String> samples = new ArrayList<>();
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      // One snapshot for both sides of the comparison.
      s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
      try (ResultSet rs = s.executeQuery(sql)) {
        while (rs.next()) {
          if (rs.getString(1).equals("missing")) {
            missing++;
          } else {
            extra++;
          }
          if (samples.size() < 5) {
            samples.add(rs.getString(1) + " " + rs.getString(2));
          }
        }
      }
      long qn = count(s, "SELECT count(*) FROM (" + stripSemicolon(selectSql) + ") q");
      long tn = key.unique() ? count(s, "SELECT count(*) FROM " + target)
          : count(s, "SELECT coalesce(sum(" + TargetTable.COUNT_COLUMN + "), 0) FROM " + target);
      long bad = key.unique() ? 0
          : count(s, "SELECT count(*) FROM " + target + " WHERE " + TargetTable.COUNT_COLUMN + " <= 0");
      c.commit();
      return new Result(streamTable, qn, tn, missing, extra, bad, samples);
    } finally {
      c.setAutoCommit(auto);
    }
  }

  private static String normalise(String expr, ColumnType type) {
    return switch (type.kind()) {
      case REAL, DOUBLE -> "CASE WHEN " + expr + " = 0 OR " + expr + " IN ('NaN', 'Infinity', '-Infinity')"
          + " THEN " + expr + "::text ELSE to_char(" + expr + "::float8, '9.99999999EEEE') END";
      default -> expr;
    };
  }

  private static long count(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String stripSemicolon(String sql) {
    String s = sql.strip();
    return s.endsWith(";") ? s.substring(0, s.length() - 1) : s;
  }
}
