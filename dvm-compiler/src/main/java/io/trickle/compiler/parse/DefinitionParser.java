package io.trickle.compiler.parse;

import io.trickle.compiler.CompileException;
import io.trickle.compiler.plan.SqlPos;
import io.trickle.compiler.rel.SqlLexemes;
import io.trickle.compiler.sql.SqlIdentifiers;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Parses a definitions file holding one {@code CREATE STREAM TABLE name [WITH (k = 'v', ...)] AS
 * SELECT ...[;]}. Keywords are case-insensitive, {@code --} and {@code /* *}{@code /} comments are
 * allowed anywhere between tokens. The query itself is kept verbatim (it is parsed later), and
 * its start position is recorded so later errors point into the file.
 */
public final class DefinitionParser {
  private final String text;
  private int pos;

  private DefinitionParser(String text) {
    this.text = text;
  }

  public static StreamTableDefinition parse(String fileText) {
    return new DefinitionParser(fileText).definition();
  }

  private StreamTableDefinition definition() {
    keyword("CREATE", "at the start of the definition");
    keyword("STREAM", "after CREATE");
    keyword("TABLE", "after CREATE STREAM");
    String name = identifier("a stream table name after CREATE STREAM TABLE");
    Map<String, String> options = new LinkedHashMap<>();
    skipBlank();
    if (peekWord().equalsIgnoreCase("WITH")) {
      pos += 4;
      options(options);
    }
    keyword("AS", "after the stream table name" + (options.isEmpty() ? "" : " and its options"));
    skipBlank();
    int start = pos;
    if (start >= text.length() || text.charAt(start) == ';') {
      throw error(start, "expected a SELECT query after AS");
    }
    int end = endOfQuery(start);
    String select = text.substring(start, end).stripTrailing();
    SqlPos at = posOf(start);
    return new StreamTableDefinition(name, options, select, at.line(), at.column());
  }

  private void options(Map<String, String> options) {
    expectChar('(', "( after WITH");
    while (true) {
      int keyAt = skipBlankAndGet();
      String key = identifier("an option name inside WITH (...)");
      expectChar('=', "= after option " + key);
      String value = optionValue(key);
      if (options.put(key, value) != null) {
        throw error(keyAt, "option " + key + " is given twice");
      }
      skipBlank();
      if (pos < text.length() && text.charAt(pos) == ',') {
        pos++;
        continue;
      }
      expectChar(')', ", or ) in the WITH option list");
      return;
    }
  }

  private String optionValue(String key) {
    skipBlank();
    if (pos < text.length() && text.charAt(pos) == '\'') {
      int open = pos;
      StringBuilder sb = new StringBuilder();
      pos++;
      while (pos < text.length()) {
        char c = text.charAt(pos++);
        if (c == '\'') {
          if (pos < text.length() && text.charAt(pos) == '\'') {
            sb.append('\'');
            pos++;
            continue;
          }
          return sb.toString();
        }
        sb.append(c);
      }
      throw error(open, "unterminated string for option " + key);
    }
    String word = peekWord();
    if (word.isEmpty()) {
      throw error(pos, "expected a value for option " + key + " (a 'quoted string', number or word)"
          + found());
    }
    pos += word.length();
    return word;
  }

  /**
   * The query ends at the first {@code ;} outside strings (including {@code E'..'} escape strings
   * and dollar quotes), quoted names and comments, found with the lexer the pre-parse rewrites
   * share ({@link SqlLexemes}).
   */
  private int endOfQuery(int start) {
    int i = start;
    while (i < text.length()) {
      char c = text.charAt(i);
      SqlLexemes.Span span = SqlLexemes.at(text, i);
      if (span != null) {
        i = closedEnd(i, span);
      } else if (c == ';') {
        pos = i + 1;
        skipBlank();
        if (pos < text.length()) {
          throw error(pos, "expected the end of the file after ';' (one CREATE STREAM TABLE per"
              + " file)" + found());
        }
        return i;
      } else {
        i++;
      }
    }
    return trimTrailingComments(start, text.length());
  }

  /** Without a {@code ;}, a trailing comment is not part of the query. */
  private int trimTrailingComments(int start, int end) {
    int last = start;
    int i = start;
    while (i < end) {
      char c = text.charAt(i);
      SqlLexemes.Span span = SqlLexemes.at(text, i);
      if (span != null) {
        boolean comment = c == '-' || c == '/';
        i = closedEnd(i, span);
        if (!comment) {
          last = i;
        }
      } else {
        i++;
        if (!Character.isWhitespace(c)) {
          last = i;
        }
      }
    }
    return last;
  }

  private int closedEnd(int open, SqlLexemes.Span span) {
    if (!span.closed()) {
      char c = text.charAt(open);
      throw error(open, "unterminated " + switch (c) {
        case '"' -> "quoted identifier";
        case '$' -> "dollar-quoted string";
        case '/' -> "/* comment";
        default -> "string literal";
      });
    }
    return span.end();
  }

  private int skipQuoted(int i, char quote) {
    int j = i + 1;
    while (j < text.length()) {
      if (text.charAt(j) == quote) {
        if (j + 1 < text.length() && text.charAt(j + 1) == quote) {
          j += 2;
          continue;
        }
        return j + 1;
      }
      j++;
    }
    throw error(i, "unterminated " + (quote == '\'' ? "string literal" : "quoted identifier"));
  }

  private int skipLineComment(int i) {
    return closedEnd(i, SqlLexemes.at(text, i));
  }

  private int skipBlockComment(int i) {
    return closedEnd(i, SqlLexemes.at(text, i));
  }

  private void keyword(String word, String where) {
    skipBlank();
    String found = peekWord();
    if (!found.equalsIgnoreCase(word)) {
      throw error(pos, "expected " + word + " " + where + found());
    }
    pos += found.length();
  }

  private String identifier(String what) {
    skipBlank();
    if (pos < text.length() && text.charAt(pos) == '"') {
      int open = pos;
      int end = skipQuoted(pos, '"');
      String name = text.substring(open + 1, end - 1).replace("\"\"", "\"");
      String problem = SqlIdentifiers.problem(name);
      if (problem != null) {
        throw error(open, "invalid quoted name: " + problem);
      }
      pos = end;
      return name;
    }
    String word = peekWord();
    if (word.isEmpty() || !Character.isLetter(word.charAt(0)) && word.charAt(0) != '_') {
      throw error(pos, "expected " + what + found());
    }
    String problem = SqlIdentifiers.problem(word);
    if (problem != null) {
      throw error(pos, "invalid name: " + problem);
    }
    pos += word.length();
    return word.toLowerCase(Locale.ROOT);
  }

  private void expectChar(char c, String what) {
    skipBlank();
    if (pos >= text.length() || text.charAt(pos) != c) {
      throw error(pos, "expected " + what + found());
    }
    pos++;
  }

  private int skipBlankAndGet() {
    skipBlank();
    return pos;
  }

  private void skipBlank() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (Character.isWhitespace(c)) {
        pos++;
      } else if (c == '-' && pos + 1 < text.length() && text.charAt(pos + 1) == '-') {
        pos = skipLineComment(pos);
      } else if (c == '/' && pos + 1 < text.length() && text.charAt(pos + 1) == '*') {
        pos = skipBlockComment(pos);
      } else {
        return;
      }
    }
  }

  private String peekWord() {
    int end = pos;
    while (end < text.length()
        && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_'
            || text.charAt(end) == '.' && end > pos && isNumberSoFar(pos, end))) {
      end++;
    }
    return text.substring(pos, end);
  }

  private boolean isNumberSoFar(int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Character.isDigit(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private String found() {
    if (pos >= text.length()) {
      return ", but the file ends";
    }
    String word = peekWord();
    if (word.isEmpty()) {
      word = String.valueOf(text.charAt(pos));
    }
    return ", but found '" + word + "'";
  }

  private CompileException error(int offset, String reason) {
    return new CompileException(posOf(offset), reason);
  }

  private SqlPos posOf(int offset) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < offset && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new SqlPos(line, column);
  }
}
