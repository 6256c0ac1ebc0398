package io.trickle.compiler.plan;

/** A position in the defining query (1-based line and column), kept on every operator. */
public record SqlPos(int line, int column) {
  public static final SqlPos UNKNOWN = new SqlPos(0, 0);

  @Override
  public String toString() {
    return line + ":" + column;
  }
}
