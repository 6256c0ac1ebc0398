package io.trickle.connectors.sink;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Tells an apply failure that replaying the same epoch would reproduce (bad data for the target
 * table) from one that a retry may cure (lost connection, deadlock, server restart).
 */
final class SinkFailure {
  private SinkFailure() {}

  /**
   * True for the SQLSTATE classes that a replay would reproduce, so the stream table goes to
   * error instead of retrying forever:
   * <ul>
   *   <li>22 (data exception) and 23 (integrity constraint violation): the rows are what they are;
   *   <li>42 (syntax error or access rule violation): the target table is missing (42P01), a
   *       column was dropped (42703), a privilege was revoked (42501). Someone must fix the
   *       target; the sink then resumes where it stopped when its task is restarted (trickle
   *       run's supervisor does that with backoff).
   * </ul>
   * Everything else (connection loss 08, deadlock and serialization failure 40, server shutdown
   * 57, out of resources 53) may pass, so it is retried.
   */
  static boolean permanent(Throwable e) {
    for (SQLException s : chain(e)) {
      if (permanent(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  static boolean permanent(String sqlState) {
    return sqlState != null && (sqlState.startsWith("22") || sqlState.startsWith("23")
        || sqlState.startsWith("42"));
  }

  /** The most specific message: PostgreSQL's own error rather than pgjdbc's batch wrapper. */
  static String message(Throwable e) {
    String message = e.getMessage();
    for (SQLException s : chain(e)) {
      if (s.getSQLState() != null && s.getMessage() != null) {
        message = s.getMessage();
      }
    }
    return message;
  }

  /** The SQLExceptions in a cause / next-exception chain, outermost first. */
  private static List<SQLException> chain(Throwable e) {
    List<SQLException> out = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Throwable t = e;
    while (t != null && seen.add(t)) {
      if (t instanceof SQLException s) {
        out.add(s);
        t = s.getNextException() != null ? s.getNextException() : s.getCause();
      } else {
        t = t.getCause();
      }
    }
    return out;
  }
}
