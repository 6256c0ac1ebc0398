package io.trickle.compiler.rel;

import java.util.Locale;
import java.util.Set;

/**
 * Rewrites PostgreSQL's unit-less interval literals ({@code interval '90 days'}), which
 * Calcite's parser lacks, into a call {@code pgintvl('90 days')} of the same length, so that
 * every position Calcite reports still points into the definitions file. The translator reads
 * the text with PostgreSQL's interval input rules. Unit-qualified literals
 * ({@code interval '90' day}) are left to Calcite.
 */
public final class PgIntervalLiterals {
  /** Seven letters: with its parentheses the call is as long as {@code interval '...'}. */
  public static final String FUNCTION = "pgintvl";

  private static final Set<String> UNITS =
      Set.of("year", "month", "day", "hour", "minute", "second");

  private PgIntervalLiterals() {}

  public static String rewrite(String sql) {
    StringBuilder out = new StringBuilder(sql.length() + 4);
    int n = sql.length();
    int i = 0;
    int copied = 0;
    while (i < n) {
      char c = sql.charAt(i);
      SqlLexemes.Span span = SqlLexemes.at(sql, i);
      if (span != null) {
        i = span.end();
      } else if (Character.isLetter(c) || c == '_') {
        int end = i;
        while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_'
            || sql.charAt(end) == '$')) {
          end++;
        }
        if (sql.substring(i, end).equalsIgnoreCase("interval")) {
          int quote = end;
          while (quote < n && Character.isWhitespace(sql.charAt(quote))) {
            quote++;
          }
          if (quote < n && sql.charAt(quote) == '\'') {
            int literalEnd = SqlLexemes.quotedEnd(sql, quote, '\'', false);
            if (!UNITS.contains(nextWord(sql, literalEnd))) {
              out.append(sql, copied, i).append(FUNCTION);
              String space = sql.substring(end, quote);
              int drop = Math.max(space.indexOf(' '), space.indexOf('\t'));
              out.append(drop < 0 ? space : space.substring(0, drop) + space.substring(drop + 1))
                  .append('(').append(sql, quote, literalEnd).append(')');
              copied = literalEnd;
            }
            i = literalEnd;
            continue;
          }
        }
        i = end;
      } else {
        i++;
      }
    }
    return copied == 0 ? sql : out.append(sql, copied, n).toString();
  }

  private static String nextWord(String sql, int from) {
    int i = from;
    while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
      i++;
    }
    int end = i;
    while (end < sql.length() && Character.isLetter(sql.charAt(end))) {
      end++;
    }
    return sql.substring(i, end).toLowerCase(Locale.ROOT);
  }
}
