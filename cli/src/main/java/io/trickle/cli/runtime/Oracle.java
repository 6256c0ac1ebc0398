package io.trickle.cli.runtime;

import io.trickle.compiler.plan.Column;
import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.sql.SingleStatement;
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
 * float sums drift with evaluation order. A query ending in {@code ORDER BY ... LIMIT n} may pick
 * any of the rows tied at the n-th place ({@link OrderedLimit}).
 */
public final class Oracle {
  private Oracle() {}

  /** The outcome: {@code missing} rows are in the query but not the table, {@code extra} the reverse. */
  public record Result(String streamTable, long queryRows, long tableRows, long missing, long extra,
      List<String> samples) {
    public boolean ok() {
      return missing == 0 && extra == 0;
    }

    public String summary() {
      return ok()
          ? String.format("%s: OK (%d rows equal the query)", streamTable, tableRows)
          : String.format("%s: DIFFERS (query %d rows, table %d rows, %d missing, %d extra) %s",
              streamTable, queryRows, tableRows, missing, extra, samples);
    }
  }

  /**
   * Compares the table as a user reads it, {@code SELECT <user columns> FROM target}: hidden
   * {@code __trickle_} columns are ignored and nothing is expanded, so a row the query returns n
   * times must be n rows of the table.
   */
  public static Result check(Connection c, String streamTable, String target, String selectSql,
      List<Column> columns) throws SQLException {
    List<String> q = new ArrayList<>();
    List<String> t = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      Column col = columns.get(i);
      String name = TargetTable.quote(col.name());
      q.add(normalise("q." + name, col.type()) + " AS c" + i);
      t.add(normalise("t." + name, col.type()) + " AS c" + i);
    }
    String tableRows = "SELECT " + String.join(", ", t) + " FROM " + target + " t";
    String query = SingleStatement.require(c, stripSemicolon(selectSql));
    OrderedLimit limited = OrderedLimit.of(query);
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      // One snapshot for both sides of the comparison.
      s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
      long tn = count(s, "SELECT count(*) FROM " + target);
      Result r;
      long withTies = limited == null ? -1 : count(s, "SELECT count(*) FROM (" + limited.withTies(limited.limit()) + ") q");
      if (withTies <= (limited == null ? -1 : limited.limit())) {
        // No ties at the cut (or no LIMIT): the result is a fixed multiset.
        String qr = "SELECT " + String.join(", ", q) + " FROM (" + query + ") q";
        long qn = count(s, "SELECT count(*) FROM (" + query + ") q");
        r = diff(s, streamTable, qr, qr, tableRows, qn, tn);
      } else {
        r = tieTolerant(s, streamTable, limited, withTies, q, tableRows, tn);
      }
      c.commit();
      return r;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  /**
   * {@code ORDER BY ... LIMIT n} with several rows tied at the n-th place: the table must hold n
   * rows, all among the first n with ties, and include every row ranked strictly before the tie.
   */
  private static Result tieTolerant(Statement s, String streamTable, OrderedLimit limited, long withTies,
      List<String> q, String tableRows, long tn) throws SQLException {
    // The largest k < n whose "first k with ties" stops short of the tie at the cut: the rows
    // ranked strictly before it (the count is monotonic in k).
    long lo = 0;
    long hi = limited.limit();
    while (hi - lo > 1) {
      long mid = (lo + hi) / 2;
      if (count(s, "SELECT count(*) FROM (" + limited.withTies(mid) + ") q") < withTies) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    String cols = String.join(", ", q);
    String upper = "SELECT " + cols + " FROM (" + limited.withTies(limited.limit()) + ") q";
    String required = lo == 0 ? "SELECT " + cols + " FROM (" + limited.withTies(1) + ") q WHERE false"
        : "SELECT " + cols + " FROM (" + limited.withTies(lo) + ") q";
    Result r = diff(s, streamTable, required, upper, tableRows, limited.limit(), tn);
    if (tn == limited.limit()) {
      return r;
    }
    List<String> samples = new ArrayList<>(r.samples());
    samples.add(0, "size " + tn + " rows, LIMIT " + limited.limit() + " (" + withTies + " with ties)");
    return new Result(streamTable, limited.limit(), tn, Math.max(r.missing(), limited.limit() - tn),
        Math.max(r.extra(), tn - limited.limit()), samples);
  }

  /** Missing: in {@code required} but not the table; extra: in the table but not {@code allowed}. */
  private static Result diff(Statement s, String streamTable, String required, String allowed, String tableRows,
      long qn, long tn) throws SQLException {
    String sql = "WITH rq AS (" + required + "), al AS (" + allowed + "), tr AS (" + tableRows + ")"
        + " SELECT 'missing' AS side, m.*::text FROM (SELECT * FROM rq EXCEPT ALL SELECT * FROM tr) m"
        + " UNION ALL SELECT 'extra', e.*::text FROM (SELECT * FROM tr EXCEPT ALL SELECT * FROM al) e";
    long missing = 0;
    long extra = 0;
    List<String> samples = new ArrayList<>();
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
    return new Result(streamTable, qn, tn, missing, extra, samples);
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
