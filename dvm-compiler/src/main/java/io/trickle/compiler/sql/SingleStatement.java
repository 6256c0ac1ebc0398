package io.trickle.compiler.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;

/**
 * A guard for SQL text that trickle sends to PostgreSQL wrapped in a statement of its own (the
 * validator's {@code CREATE TEMP VIEW ... AS <query>}, the oracle's {@code SELECT ... FROM (<query>)}).
 * It does not rely on trickle's own lexer: it asks pgjdbc's parser, the one that decides how the
 * driver splits text into protocol messages, with the connection's own setting of
 * {@code standard_conforming_strings}, and refuses the text if it splits it into more than one
 * statement. Sent over the extended protocol, one statement is then one Parse message, and
 * PostgreSQL itself refuses a Parse that holds several commands.
 */
public final class SingleStatement {
  private SingleStatement() {}

  /** Whether pgjdbc would send {@code sql} over this connection as more than one statement. */
  public static boolean isMultiple(Connection c, String sql) throws SQLException {
    return count(sql, c.unwrap(BaseConnection.class).getStandardConformingStrings()) > 1;
  }

  /** Whether pgjdbc would split {@code sql} under either setting of standard_conforming_strings. */
  public static boolean isMultiple(String sql) {
    return count(sql, true) > 1 || count(sql, false) > 1;
  }

  /**
   * @return {@code sql}, when it is one statement over this connection
   * @throws IllegalArgumentException when it is several
   */
  public static String require(Connection c, String sql) throws SQLException {
    if (isMultiple(c, sql)) {
      throw new IllegalArgumentException("the query text holds more than one SQL statement (a ';'"
          + " outside strings, quoted names and comments); a stream table is defined by one SELECT");
    }
    return sql;
  }

  private static int count(String sql, boolean standardConformingStrings) {
    try {
      List<NativeQuery> queries = Parser.parseJdbcSql(sql, standardConformingStrings, false, true,
          false, false);
      int n = 0;
      for (NativeQuery q : queries) {
        if (!q.nativeSql.isBlank()) {
          n++;
        }
      }
      return n;
    } catch (SQLException e) {
      return Integer.MAX_VALUE; // text the driver cannot even split is not sent
    }
  }
}
