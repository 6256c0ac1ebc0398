package io.trickle.compiler;

import io.trickle.compiler.plan.SqlPos;
import java.util.Objects;

/**
 * A defining query that cannot be compiled. The message names the construct and, when known,
 * where it is in the definitions file: {@code line 3, column 8: FULL OUTER JOIN is not supported
 * yet}. Never carries a Calcite or JDBC stack trace as its message.
 */
public class CompileException extends RuntimeException {
  private final SqlPos pos;
  private final String reason;

  public CompileException(SqlPos pos, String reason) {
    this(pos, reason, null);
  }

  public CompileException(SqlPos pos, String reason, Throwable cause) {
    super(format(pos, reason), cause);
    this.pos = Objects.requireNonNull(pos, "pos");
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  private static String format(SqlPos pos, String reason) {
    if (pos == null || pos.equals(SqlPos.UNKNOWN)) {
      return reason;
    }
    return "line " + pos.line() + ", column " + pos.column() + ": " + reason;
  }

  /** Where in the definitions file the problem is, or {@link SqlPos#UNKNOWN}. */
  public SqlPos pos() {
    return pos;
  }

  /** The message without the position prefix. */
  public String reason() {
    return reason;
  }
}
