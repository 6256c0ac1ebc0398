package io.trickle.compiler.rel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds PostgreSQL's {@code SELECT DISTINCT ON (exprs)}, which Calcite cannot parse, in a query's
 * text, at any nesting level, skipping string literals, quoted identifiers and comments. {@link
 * #blanked()} is the text with each {@code ON (exprs)} overwritten by spaces (line breaks and tabs
 * kept), so Calcite parses a plain {@code SELECT DISTINCT} and every position still maps into the
 * original text; {@link #expressions(Clause)} is the text with everything but that clause's
 * {@code (exprs)} blanked, for parsing the expressions at their own positions.
 */
public final class DistinctOnScanner {
  /**
   * One {@code SELECT DISTINCT}, in text order. {@code listStart}/{@code listEnd} are the offsets
   * of the parenthesised DISTINCT ON list ({@code listEnd} exclusive), both -1 for a plain
   * DISTINCT.
   */
  public record Clause(int selectOffset, int distinctOffset, int onOffset, int listStart,
      int listEnd) {
    public boolean distinctOn() {
      return listStart >= 0;
    }
  }

  private record Token(String word, int start, int end) {}

  private final String sql;
  private final List<Clause> clauses;

  private DistinctOnScanner(String sql, List<Clause> clauses) {
    this.sql = sql;
    this.clauses = List.copyOf(clauses);
  }

  public static DistinctOnScanner scan(String sql) {
    List<Token> tokens = tokens(sql);
    List<Clause> clauses = new ArrayList<>();
    for (int i = 0; i + 1 < tokens.size(); i++) {
      if (!"select".equals(tokens.get(i).word()) || !"distinct".equals(tokens.get(i + 1).word())) {
        continue;
      }
      int on = -1;
      int start = -1;
      int end = -1;
      if (i + 3 < tokens.size() && "on".equals(tokens.get(i + 2).word())
          && "(".equals(tokens.get(i + 3).word())) {
        int close = matchingParen(tokens, i + 3);
        if (close > 0) {
          on = tokens.get(i + 2).start();
          start = tokens.get(i + 3).start();
          end = tokens.get(close).end();
        }
      }
      clauses.add(new Clause(tokens.get(i).start(), tokens.get(i + 1).start(), on, start, end));
    }
    return new DistinctOnScanner(sql, clauses);
  }

  /** Every {@code SELECT DISTINCT} in text order, with or without ON. */
  public List<Clause> clauses() {
    return clauses;
  }

  public boolean any() {
    return clauses.stream().anyMatch(Clause::distinctOn);
  }

  public String blanked() {
    StringBuilder out = new StringBuilder(sql);
    for (Clause c : clauses) {
      if (c.distinctOn()) {
        blank(out, c.onOffset(), c.listEnd());
      }
    }
    return out.toString();
  }

  /** The text with everything except {@code (exprs)} of {@code clause} blanked. */
  public String expressions(Clause clause) {
    StringBuilder out = new StringBuilder(sql);
    blank(out, 0, clause.listStart());
    blank(out, clause.listEnd(), sql.length());
    return out.toString();
  }

  private static void blank(StringBuilder s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c != '\n' && c != '\r' && c != '\t') {
        s.setCharAt(i, ' ');
      }
    }
  }

  private static int matchingParen(List<Token> tokens, int open) {
    int depth = 0;
    for (int i = open; i < tokens.size(); i++) {
      String w = tokens.get(i).word();
      if ("(".equals(w)) {
        depth++;
      } else if (")".equals(w) && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Words (lower case), parentheses and other single characters; literals and quoted identifiers
   * become one opaque token, comments and white space none.
   */
  private static List<Token> tokens(String sql) {
    List<Token> out = new ArrayList<>();
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      int start = i;
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        i = SqlLexemes.lineCommentEnd(sql, i);
        continue;
      }
      if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        i = SqlLexemes.blockCommentEnd(sql, i);
        continue;
      }
      if (c == '\'') {
        i = SqlLexemes.quotedEnd(sql, i, '\'', false);
        out.add(new Token("'", start, i));
      } else if (c == '"') {
        i = SqlLexemes.quotedEnd(sql, i, '"', false);
        out.add(new Token("\"", start, i));
      } else if (c == '$' && SqlLexemes.dollarTag(sql, i) != null) {
        i = SqlLexemes.dollarQuotedEnd(sql, i, SqlLexemes.dollarTag(sql, i));
        out.add(new Token("$", start, i));
      } else if (Character.isLetter(c) || c == '_') {
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_'
            || sql.charAt(i) == '$')) {
          i++;
        }
        String word = sql.substring(start, i).toLowerCase(Locale.ROOT);
        if (i < n && sql.charAt(i) == '\'') {
          // E'...' takes backslash escapes; B'..', X'..', N'..' and U&'..' do not need them.
          i = SqlLexemes.quotedEnd(sql, i, '\'', word.equals("e"));
          out.add(new Token("'", start, i));
        } else {
          out.add(new Token(word, start, i));
        }
      } else {
        i++;
        out.add(new Token(String.valueOf(c), start, i));
      }
    }
    return out;
  }
}
