package io.trickle.cli.runtime;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A query ending in a top-level {@code ORDER BY ... LIMIT n}: which n rows it returns is fixed
 * only up to ties in the sort key at the cut, so the oracle accepts any choice among the tied
 * rows (PostgreSQL's {@code FETCH FIRST n ROWS WITH TIES} gives the candidates).
 *
 * @param ordered the query up to and including its ORDER BY, without the LIMIT
 * @param limit n
 */
public record OrderedLimit(String ordered, long limit) {
  private static final Pattern TAIL = Pattern.compile("(?is)^\\s*limit\\s+(\\d+)\\s*;?\\s*$");

  /** The query's first {@code k} rows plus every row tied with the k-th. */
  public String withTies(long k) {
    return ordered + " FETCH FIRST " + k + " ROWS WITH TIES";
  }

  /** Null when the query does not end in {@code LIMIT n} after a top-level ORDER BY. */
  public static OrderedLimit of(String sql) {
    String lower = sql.toLowerCase(Locale.ROOT);
    int depth = 0;
    int orderBy = -1;
    int limit = -1;
    for (int i = 0; i < sql.length(); i++) {
      char ch = sql.charAt(i);
      if (ch == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
        int eol = sql.indexOf('\n', i);
        i = eol < 0 ? sql.length() : eol;
      } else if (ch == '/' && i + 1 < sql.length() && sql.charAt(i + 1) == '*') {
        int close = sql.indexOf("*/", i + 2);
        i = close < 0 ? sql.length() : close + 1;
      } else if (ch == '\'' || ch == '"') {
        int close = sql.indexOf(ch, i + 1);
        i = close < 0 ? sql.length() : close;
      } else if (ch == '(') {
        depth++;
      } else if (ch == ')') {
        depth--;
      } else if (depth == 0 && wordAt(lower, i, "order") && lower.substring(i + 5).stripLeading().startsWith("by")) {
        orderBy = i;
      } else if (depth == 0 && wordAt(lower, i, "limit")) {
        limit = i;
      }
    }
    if (orderBy < 0 || limit < orderBy) {
      return null;
    }
    Matcher m = TAIL.matcher(sql.substring(limit));
    if (!m.matches()) {
      return null; // OFFSET, LIMIT ALL, a parameter: compared exactly
    }
    return new OrderedLimit(sql.substring(0, limit).stripTrailing(), Long.parseLong(m.group(1)));
  }

  private static boolean wordAt(String s, int i, String word) {
    return s.startsWith(word, i) && (i == 0 || !Character.isLetterOrDigit(s.charAt(i - 1)) && s.charAt(i - 1) != '_')
        && (i + word.length() >= s.length() || !Character.isLetterOrDigit(s.charAt(i + word.length()))
            && s.charAt(i + word.length()) != '_');
  }
}
