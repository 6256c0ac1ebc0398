package io.trickle.compiler.parse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads PostgreSQL's {@code pg_node_tree} text (e.g. {@code pg_rewrite.ev_action}) into nested
 * {@link Node}s, lists and scalar strings, so that a stored query tree can be walked instead of
 * matched with regular expressions. {@code <>} (an empty field) reads as null.
 */
final class PgNodeTree {
  /** One {@code {TYPE :field value ...}}; field values are Node, List, String or null. */
  record Node(String type, Map<String, Object> fields) {
    Node get(String field) {
      return fields.get(field) instanceof Node n ? n : null;
    }

    List<?> list(String field) {
      return fields.get(field) instanceof List<?> l ? l : List.of();
    }

    String scalar(String field) {
      return fields.get(field) instanceof String s ? s : null;
    }

    long oid(String field) {
      String s = scalar(field);
      return s == null ? 0 : Long.parseLong(s);
    }
  }

  private final String text;
  private int pos;

  private PgNodeTree(String text) {
    this.text = text;
  }

  /** The value the text holds: a Node, or a List of them (a rule's actions). */
  static Object parse(String text) {
    return new PgNodeTree(text).value();
  }

  private Object value() {
    skipBlank();
    if (pos >= text.length()) {
      return null;
    }
    char c = text.charAt(pos);
    if (c == '{') {
      return node();
    }
    if (c == '(') {
      return list();
    }
    String token = token();
    return "<>".equals(token) ? null : token;
  }

  private Node node() {
    pos++;
    String type = token();
    Map<String, Object> fields = new LinkedHashMap<>();
    while (true) {
      skipBlank();
      if (pos >= text.length() || text.charAt(pos) == '}') {
        pos++;
        return new Node(type, fields);
      }
      String name = token();
      if (!name.startsWith(":")) {
        continue;
      }
      skipBlank();
      char c = pos < text.length() ? text.charAt(pos) : '}';
      if (c == '{' || c == '(') {
        fields.put(name.substring(1), value());
        continue;
      }
      // A scalar may span several tokens (a datum is "len [ b0 b1 ... ]").
      StringBuilder sb = new StringBuilder();
      while (true) {
        skipBlank();
        if (pos >= text.length() || "}:({)".indexOf(text.charAt(pos)) >= 0) {
          break;
        }
        if (!sb.isEmpty()) {
          sb.append(' ');
        }
        sb.append(token());
      }
      String v = sb.toString();
      fields.put(name.substring(1), "<>".equals(v) ? null : v);
    }
  }

  private List<Object> list() {
    pos++;
    List<Object> items = new ArrayList<>();
    while (true) {
      skipBlank();
      if (pos >= text.length() || text.charAt(pos) == ')') {
        pos++;
        return items;
      }
      items.add(value());
    }
  }

  /** A token ends at blank or a bracket; a backslash escapes the next character. */
  private String token() {
    skipBlank();
    StringBuilder sb = new StringBuilder();
    boolean quoted = false;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '\\' && pos + 1 < text.length()) {
        sb.append(text.charAt(pos + 1));
        pos += 2;
        continue;
      }
      if (c == '"') {
        quoted = !quoted;
        pos++;
        continue;
      }
      if (!quoted && (Character.isWhitespace(c) || c == '{' || c == '}' || c == '(' || c == ')')) {
        break;
      }
      sb.append(c);
      pos++;
    }
    if (sb.isEmpty() && pos < text.length() && !Character.isWhitespace(text.charAt(pos))
        && text.charAt(pos) != '{' && text.charAt(pos) != '(') {
      // A lone closing bracket where a token was expected; consume it to make progress.
      pos++;
    }
    return sb.toString();
  }

  private void skipBlank() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }
}
