package io.trickle.compiler.rel;

/**
 * The spans of PostgreSQL query text that hold no syntax: string literals, quoted identifiers,
 * dollar-quoted strings and comments. The text rewrites that run before Calcite parses
 * ({@link DistinctOnScanner}, {@link JsonbOperators}, {@link PgIntervalLiterals}) skip them with
 * these, so that a word or operator inside a literal or comment is never rewritten; the
 * definitions file parser finds the end of a query with {@link #at}.
 */
public final class SqlLexemes {
  private SqlLexemes() {}

  /**
   * A span that holds no syntax. {@code closed} is false when the text ends inside it (an
   * unterminated literal or comment).
   */
  public record Span(int end, boolean closed) {}

  /**
   * The string literal ({@code '..'}, {@code E'..'} with backslash escapes, {@code U&'..'},
   * {@code B'..'}, {@code X'..'}, {@code N'..'}), quoted identifier ({@code ".."},
   * {@code U&".."}), dollar-quoted string ({@code $$..$$}, {@code $tag$..$tag$}) or comment
   * ({@code --}, nested {@code /* *}{@code /}) that starts at {@code i}, or null when none does.
   * A literal's prefix letter belongs to it only when it starts a word, as in PostgreSQL's
   * lexer: {@code E'\''} is one literal, {@code name'x'} is not an escape string.
   */
  public static Span at(String sql, int i) {
    char c = sql.charAt(i);
    if (c == '\'' || c == '"') {
      boolean escapes = c == '\'' && i > 0 && Character.toLowerCase(sql.charAt(i - 1)) == 'e'
          && (i == 1 || !isWordChar(sql.charAt(i - 2)));
      return quoted(sql, i, c, escapes);
    }
    if (c == '-' && sql.startsWith("--", i)) {
      int nl = sql.indexOf('\n', i);
      return new Span(nl < 0 ? sql.length() : nl + 1, true);
    }
    if (c == '/' && sql.startsWith("/*", i)) {
      int end = blockCommentEnd(sql, i);
      return new Span(end, end >= 4 + i && sql.startsWith("*/", end - 2) && depthClosed(sql, i, end));
    }
    if (c == '$') {
      String tag = dollarTag(sql, i);
      if (tag != null) {
        int close = sql.indexOf(tag, i + tag.length());
        return close < 0 ? new Span(sql.length(), false) : new Span(close + tag.length(), true);
      }
    }
    return null;
  }

  private static Span quoted(String sql, int open, char quote, boolean backslashEscapes) {
    int i = open + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (backslashEscapes && c == '\\') {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
        } else {
          return new Span(i + 1, true);
        }
      } else {
        i++;
      }
    }
    return new Span(sql.length(), false);
  }

  /** Whether the block comment from {@code open} to {@code end} closed all its levels. */
  private static boolean depthClosed(String sql, int open, int end) {
    int depth = 0;
    int i = open;
    while (i < end) {
      if (sql.startsWith("/*", i)) {
        depth++;
        i += 2;
      } else if (sql.startsWith("*/", i)) {
        depth--;
        i += 2;
        if (depth == 0) {
          return i == end;
        }
      } else {
        i++;
      }
    }
    return false;
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }

  /** The offset after the closing quote; a doubled quote (or, with escapes, \x) stays inside. */
  static int quotedEnd(String sql, int open, char quote, boolean backslashEscapes) {
    return quoted(sql, open, quote, backslashEscapes).end();
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
