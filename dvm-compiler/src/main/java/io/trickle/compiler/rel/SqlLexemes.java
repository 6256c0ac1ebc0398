package io.trickle.compiler.rel;

/**
 * The spans of PostgreSQL query text that hold no syntax: string literals, quoted identifiers,
 * dollar-quoted strings and comments. The text rewrites that run before Calcite parses
 * ({@link DistinctOnScanner}, {@link JsonbOperators}, {@link PgIntervalLiterals}) skip them with
 * these, so that a word or operator inside a literal or comment is never rewritten.
 */
final class SqlLexemes {
  private SqlLexemes() {}

  /** The offset after the closing quote; a doubled quote (or, with escapes, \x) stays inside. */
  static int quotedEnd(String sql, int open, char quote, boolean backslashEscapes) {
    int i = open + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (backslashEscapes && c == '\\') {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return sql.length();
  }

  /** The offset after a block comment starting at {@code open}; PostgreSQL's nest. */
  static int blockCommentEnd(String sql, int open) {
    int depth = 0;
    int i = open;
    while (i < sql.length()) {
      if (sql.startsWith("/*", i)) {
        depth++;
        i += 2;
      } else if (sql.startsWith("*/", i)) {
        i += 2;
        if (--depth == 0) {
          return i;
        }
      } else {
        i++;
      }
    }
    return sql.length();
  }

  /** The offset after the line of a {@code --} comment starting at {@code open}. */
  static int lineCommentEnd(String sql, int open) {
    int nl = sql.indexOf('\n', open);
    return nl < 0 ? sql.length() : nl + 1;
  }

  /** {@code $tag$} or {@code $$} starting at {@code i} (not inside a word), or null. */
  static String dollarTag(String sql, int i) {
    if (i > 0 && (Character.isLetterOrDigit(sql.charAt(i - 1)) || sql.charAt(i - 1) == '_')) {
      return null;
    }
    int j = i + 1;
    while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
      j++;
    }
    if (j < sql.length() && sql.charAt(j) == '$'
        && (j == i + 1 || !Character.isDigit(sql.charAt(i + 1)))) {
      return sql.substring(i, j + 1);
    }
    return null;
  }

  /** The offset after the dollar-quoted string whose opening {@code tag} starts at {@code i}. */
  static int dollarQuotedEnd(String sql, int i, String tag) {
    int close = sql.indexOf(tag, i + tag.length());
    return close < 0 ? sql.length() : close + tag.length();
  }
}
