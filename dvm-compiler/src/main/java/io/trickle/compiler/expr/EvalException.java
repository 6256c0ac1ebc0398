package io.trickle.compiler.expr;

/**
 * A runtime error PostgreSQL would raise for the same row (for example {@code division by zero}
 * or {@code integer out of range}). Carries PostgreSQL's SQLSTATE so the message reads the same.
 */
public class EvalException extends RuntimeException {
  private final String sqlState;

  public EvalException(String sqlState, String message) {
    super(message);
    this.sqlState = sqlState;
  }

  public String sqlState() {
    return sqlState;
  }
}
