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
   * True for SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation): the
   * rows are what they are, so the stream table goes to error instead of retrying forever.
   */
  static boolean permanent(Throwable e) {
    for (SQLException s : chain(e)) {
      String state = s.getSQLState();
      if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
        return true;
      }
    }
    return false;
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
