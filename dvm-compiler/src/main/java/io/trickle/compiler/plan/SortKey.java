package io.trickle.compiler.plan;

/** One ORDER BY key: an input column, its direction and where NULLs sort. */
public record SortKey(int column, boolean descending, boolean nullsFirst) {
  @Override
  public String toString() {
    return "$" + column + (descending ? " DESC" : "") + (nullsFirst ? " NULLS FIRST" : " NULLS LAST");
  }
}
