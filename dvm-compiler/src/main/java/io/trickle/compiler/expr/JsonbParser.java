package io.trickle.compiler.expr;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

/**
 * PostgreSQL's JSON grammar (RFC 8259: no leading zeros, no trailing commas, no control
 * characters in strings), building jsonb nodes: numbers as numeric with PostgreSQL's display
 * scale, objects sorted with the last duplicate key kept, and \u0000 rejected as jsonb rejects it.
 */
final class JsonbParser {
  private final String s;
  private int i;

  JsonbParser(String s) {
    this.s = s;
  }

  Object parseDocument() {
    skipBlanks();
    Object v = value();
    skipBlanks();
    if (i < s.length()) {
      throw invalid();
    }
    return v;
  }

  private Object value() {
    if (i >= s.length()) {
      throw invalid();
    }
    char c = s.charAt(i);
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> word("true", Boolean.TRUE);
      case 'f' -> word("false", Boolean.FALSE);
      case 'n' -> word("null", PgJsonb.NULL);
      default -> number();
    };
  }

  private Object object() {
    i++;
    TreeMap<String, Object> map = new TreeMap<>(PgJsonb.KEY_ORDER);
    skipBlanks();
    if (peek() == '}') {
      i++;
      return Collections.unmodifiableMap(map);
    }
    while (true) {
      skipBlanks();
      if (peek() != '"') {
        throw invalid();
      }
      String key = string();
      skipBlanks();
      expect(':');
      skipBlanks();
      map.put(key, value());
      skipBlanks();
      char c = next();
      if (c == '}') {
        return Collections.unmodifiableMap(map);
      }
      if (c != ',') {
        throw invalid();
      }
    }
  }

  private Object array() {
    i++;
    List<Object> list = new ArrayList<>();
    skipBlanks();
    if (peek() == ']') {
      i++;
      return Collections.unmodifiableList(list);
    }
    while (true) {
      skipBlanks();
      list.add(value());
      skipBlanks();
      char c = next();
      if (c == ']') {
        return Collections.unmodifiableList(list);
      }
      if (c != ',') {
        throw invalid();
      }
    }
  }

  private String string() {
    i++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = next();
      if (c == '"') {
        return sb.toString();
      }
      if (c < ' ') {
        throw invalid();
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = next();
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          char u = hex4();
          if (u == 0) {
            throw new EvalException("22P05", "unsupported Unicode escape sequence: \\u0000 cannot"
                + " be converted to text");
          }
          if (Character.isHighSurrogate(u)) {
            if (i + 1 < s.length() && s.charAt(i) == '\\' && s.charAt(i + 1) == 'u') {
              i += 2;
              char low = hex4();
              if (!Character.isLowSurrogate(low)) {
                throw invalid();
              }
              sb.append(u).append(low);
            } else {
              throw invalid();
            }
          } else if (Character.isLowSurrogate(u)) {
            throw invalid();
          } else {
            sb.append(u);
          }
        }
        default -> throw invalid();
      }
    }
  }

  private char hex4() {
    if (i + 4 > s.length()) {
      throw invalid();
    }
    int v = 0;
    for (int k = 0; k < 4; k++) {
      int d = Character.digit(s.charAt(i++), 16);
      if (d < 0) {
        throw invalid();
      }
      v = v * 16 + d;
    }
    return (char) v;
  }

  /** PostgreSQL's numeric input: the display scale is the digits after the point minus the exponent. */
  private Object number() {
    int start = i;
    if (peek() == '-') {
      i++;
    }
    if (peek() == '0') {
      i++;
    } else if (isDigit(peek())) {
      while (isDigit(peek())) {
        i++;
      }
    } else {
      throw invalid();
    }
    if (peek() == '.') {
      i++;
      if (!isDigit(peek())) {
        throw invalid();
      }
      while (isDigit(peek())) {
        i++;
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      i++;
      if (peek() == '+' || peek() == '-') {
        i++;
      }
      if (!isDigit(peek())) {
        throw invalid();
      }
      while (isDigit(peek())) {
        i++;
      }
    }
    if (i < s.length() && Character.isLetterOrDigit(s.charAt(i))) {
      throw invalid();
    }
    BigDecimal d = new BigDecimal(s.substring(start, i));
    return d.scale() < 0 ? d.setScale(0) : d;
  }

  private Object word(String w, Object v) {
    if (!s.startsWith(w, i)) {
      throw invalid();
    }
    i += w.length();
    if (i < s.length() && Character.isLetterOrDigit(s.charAt(i))) {
      throw invalid();
    }
    return v;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private void skipBlanks() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      i++;
    }
  }

  private char peek() {
    return i < s.length() ? s.charAt(i) : '\0';
  }

  private char next() {
    if (i >= s.length()) {
      throw invalid();
    }
    return s.charAt(i++);
  }

  private void expect(char c) {
    if (next() != c) {
      throw invalid();
    }
  }

  private EvalException invalid() {
    String shown = s.length() > 60 ? s.substring(0, 60) + "..." : s;
    return new EvalException("22P02", "invalid input syntax for type json: \"" + shown + "\"");
  }
}
