package io.trickle.compiler.expr;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A jsonb value as PostgreSQL holds it: object keys sorted by length then bytes (duplicates: the
 * last wins), numbers as numeric. {@link #toString()} is PostgreSQL's jsonb output text, and
 * {@link #equals} is PostgreSQL's jsonb equality (numbers by value, so {@code 1.0 = 1.00}).
 * PostgreSQL's btree ordering of jsonb compares strings by the database collation, so this class
 * is deliberately not {@link Comparable}.
 *
 * <p>A node is {@link #NULL}, Boolean, BigDecimal, String, an unmodifiable List of nodes, or an
 * unmodifiable sorted Map of nodes.
 */
public final class PgJsonb {
  /** The JSON {@code null} (distinct from SQL NULL, which is Java null). */
  public static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  /** jsonb's key order: shorter keys first, then bytewise (UTF-8). */
  static final Comparator<String> KEY_ORDER = (a, b) -> {
    byte[] x = a.getBytes(StandardCharsets.UTF_8);
    byte[] y = b.getBytes(StandardCharsets.UTF_8);
    return x.length != y.length ? Integer.compare(x.length, y.length)
        : Arrays.compareUnsigned(x, y);
  };

  private final Object root;
  private final String text;

  private PgJsonb(Object root) {
    this.root = root;
    StringBuilder sb = new StringBuilder();
    write(sb, root);
    this.text = sb.toString();
  }

  /**
   * Parses jsonb input text as PostgreSQL's jsonb_in does.
   *
   * @throws EvalException 22P02 for text that is not JSON
   */
  public static PgJsonb parse(String text) {
    return new PgJsonb(new JsonbParser(text).parseDocument());
  }

  /** Wraps a node (one of the shapes listed on the class). */
  public static PgJsonb of(Object node) {
    return new PgJsonb(node);
  }

  public Object root() {
    return root;
  }

  /** object, array, string, number, boolean or null, as jsonb_typeof names them. */
  public String typeName() {
    return typeName(root);
  }

  static String typeName(Object node) {
    if (node == NULL) {
      return "null";
    } else if (node instanceof Boolean) {
      return "boolean";
    } else if (node instanceof BigDecimal) {
      return "number";
    } else if (node instanceof String) {
      return "string";
    } else if (node instanceof List) {
      return "array";
    }
    return "object";
  }

  /** {@code j -> 'key'}: the field, or SQL NULL if this is not an object or lacks it. */
  public PgJsonb field(String key) {
    return root instanceof Map<?, ?> m && m.containsKey(key) ? of(m.get(key)) : null;
  }

  /**
   * {@code j -> n}: the element (negative counts from the end), or SQL NULL. PostgreSQL stores
   * a scalar as a one-element array, and this operator sees it as one.
   */
  public PgJsonb element(long index) {
    if (root instanceof Map) {
      return null;
    }
    List<?> list = root instanceof List<?> l ? l : List.of(root);
    long i = index < 0 ? list.size() + index : index;
    return i < 0 || i >= list.size() ? null : of(list.get((int) i));
  }

  /**
   * {@code j #> path}: follows keys through objects and integer subscripts through arrays;
   * SQL NULL when a step is missing, is not an integer where an array is, or is NULL.
   */
  public PgJsonb path(List<String> steps) {
    Object node = root;
    for (String step : steps) {
      if (step == null) {
        return null;
      }
      if (node instanceof Map<?, ?> m) {
        if (!m.containsKey(step)) {
          return null;
        }
        node = m.get(step);
      } else if (node instanceof List<?> list) {
        Long index = subscript(step);
        if (index == null) {
          return null;
        }
        long i = index < 0 ? list.size() + index : index;
        if (i < 0 || i >= list.size()) {
          return null;
        }
        node = list.get((int) i);
      } else {
        return null;
      }
    }
    return of(node);
  }

  /** PostgreSQL's strtoint: optional blanks and sign, digits, nothing after; int4 range. */
  private static Long subscript(String s) {
    int i = 0;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    try {
      String t = s.substring(i);
      long v = Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
      return v < Integer.MIN_VALUE || v > Integer.MAX_VALUE ? null : v;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** {@code ->>}'s text: a string unescaped, JSON null as SQL NULL, anything else as jsonb text. */
  public String asText() {
    if (root == NULL) {
      return null;
    }
    return root instanceof String s ? s : text;
  }

  /** Elements of an array (jsonb_array_elements); null if this is not an array. */
  public List<PgJsonb> elements() {
    if (!(root instanceof List<?> list)) {
      return null;
    }
    List<PgJsonb> out = new ArrayList<>(list.size());
    for (Object o : list) {
      out.add(of(o));
    }
    return out;
  }

  /** jsonb_array_length: the element count; 22023 for a scalar or an object, as PostgreSQL. */
  public long arrayLength() {
    if (root instanceof List<?> list) {
      return list.size();
    }
    throw new EvalException("22023", root instanceof Map
        ? "cannot get array length of a non-array" : "cannot get array length of a scalar");
  }

  /** The same value with every number's trailing zeros stripped: equal values, equal forms. */
  public PgJsonb normalized() {
    return of(normalize(root));
  }

  private static Object normalize(Object node) {
    if (node instanceof BigDecimal d) {
      return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
    } else if (node instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object o : list) {
        out.add(normalize(o));
      }
      return Collections.unmodifiableList(out);
    } else if (node instanceof Map<?, ?> m) {
      TreeMap<String, Object> out = new TreeMap<>(KEY_ORDER);
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.put((String) e.getKey(), normalize(e.getValue()));
      }
      return Collections.unmodifiableMap(out);
    }
    return node;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PgJsonb j && same(root, j.root);
  }

  @Override
  public int hashCode() {
    return hash(root);
  }

  /** PostgreSQL's jsonb output text. */
  @Override
  public String toString() {
    return text;
  }

  private static boolean same(Object a, Object b) {
    if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
      return x.compareTo(y) == 0;
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!same(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : x.entrySet()) {
        if (!y.containsKey(e.getKey()) || !same(e.getValue(), y.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    return a == b || a != NULL && a.equals(b);
  }

  private static int hash(Object node) {
    if (node instanceof BigDecimal d) {
      return d.signum() == 0 ? 0 : d.stripTrailingZeros().hashCode();
    } else if (node instanceof List<?> list) {
      int h = 1;
      for (Object o : list) {
        h = 31 * h + hash(o);
      }
      return h;
    } else if (node instanceof Map<?, ?> m) {
      int h = 7;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        h = 31 * h + e.getKey().hashCode() * 17 + hash(e.getValue());
      }
      return h;
    }
    return node == NULL ? 3 : node.hashCode();
  }

  private static void write(StringBuilder sb, Object node) {
    if (node instanceof String s) {
      quote(sb, s);
    } else if (node instanceof BigDecimal d) {
      sb.append(d.toPlainString());
    } else if (node instanceof List<?> list) {
      sb.append('[');
      for (int i = 0; i < list.size(); i++) {
        sb.append(i == 0 ? "" : ", ");
        write(sb, list.get(i));
      }
      sb.append(']');
    } else if (node instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        sb.append(first ? "" : ", ");
        first = false;
        quote(sb, (String) e.getKey());
        sb.append(": ");
        write(sb, e.getValue());
      }
      sb.append('}');
    } else {
      sb.append(node); // NULL, Boolean
    }
  }

  /** PostgreSQL's escape_json. */
  static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        default -> {
          if (c < ' ') {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
