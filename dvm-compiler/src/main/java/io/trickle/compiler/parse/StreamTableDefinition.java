package io.trickle.compiler.parse;

import io.trickle.compiler.plan.SqlPos;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code CREATE STREAM TABLE name [WITH (...)] AS SELECT ...} from a definitions file. {@code
 * selectLine}/{@code selectColumn} (1-based) say where {@code selectSql} starts in the file, so
 * positions inside the query can be reported relative to the file.
 */
public record StreamTableDefinition(
    String name, Map<String, String> options, String selectSql, int selectLine, int selectColumn) {

  public StreamTableDefinition {
    Objects.requireNonNull(name, "name");
    options = Map.copyOf(Objects.requireNonNull(options, "options"));
    Objects.requireNonNull(selectSql, "selectSql");
    if (selectLine < 1 || selectColumn < 1) {
      throw new IllegalArgumentException("select position is 1-based");
    }
  }

  /** A definition whose query is the whole text (positions are then the query's own). */
  public static StreamTableDefinition of(String name, String selectSql) {
    return new StreamTableDefinition(name, Map.of(), selectSql, 1, 1);
  }

  /** Maps a 1-based line/column inside {@link #selectSql()} to the definitions file. */
  public SqlPos filePos(int line, int column) {
    if (line < 1 || column < 1) {
      return start();
    }
    return line == 1
        ? new SqlPos(selectLine, selectColumn + column - 1)
        : new SqlPos(selectLine + line - 1, column);
  }

  /** Maps a 0-based character offset inside {@link #selectSql()} to the definitions file. */
  public SqlPos filePosOfOffset(int offset) {
    if (offset < 0 || offset > selectSql.length()) {
      return start();
    }
    int line = 1;
    int column = 1;
    for (int i = 0; i < offset; i++) {
      if (selectSql.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return filePos(line, column);
  }

  /** The 0-based offset in {@link #selectSql()} of a 1-based line/column inside it. */
  public int offsetOf(int line, int column) {
    int offset = 0;
    for (int l = 1; l < line; l++) {
      int nl = selectSql.indexOf('\n', offset);
      if (nl < 0) {
        return selectSql.length();
      }
      offset = nl + 1;
    }
    return Math.min(selectSql.length(), offset + Math.max(column, 1) - 1);
  }

  /** Where the query starts in the file. */
  public SqlPos start() {
    return new SqlPos(selectLine, selectColumn);
  }
}
