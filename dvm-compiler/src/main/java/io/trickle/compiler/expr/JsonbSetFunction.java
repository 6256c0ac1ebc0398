package io.trickle.compiler.expr;

import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.ColumnType.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * jsonb_array_elements[_text](j) (one row per element, in order) and jsonb_each[_text](j) (one
 * row per key, in jsonb's key order). The _text forms give each value as {@code ->>} does. A NULL
 * argument gives no rows; the wrong kind of value is an error, as in PostgreSQL.
 *
 * @param name one of jsonb_array_elements, jsonb_array_elements_text, jsonb_each, jsonb_each_text
 */
public record JsonbSetFunction(String name) implements SetFunction {
  public static final List<String> NAMES = List.of("jsonb_array_elements",
      "jsonb_array_elements_text", "jsonb_each", "jsonb_each_text");

  public JsonbSetFunction {
    Objects.requireNonNull(name, "name");
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("not a jsonb set-returning function: " + name);
    }
  }

  private boolean text() {
    return name.endsWith("_text");
  }

  private boolean each() {
    return name.startsWith("jsonb_each");
  }

  @Override
  public List<ColumnType> columnTypes() {
    ColumnType value = ColumnType.of(text() ? Kind.TEXT : Kind.JSONB);
    return each() ? List.of(ColumnType.of(Kind.TEXT), value) : List.of(value);
  }

  /** Keys of one object are distinct; array elements may repeat. */
  @Override
  public boolean distinctRows() {
    return each();
  }

  @Override
  public List<Object[]> apply(Object[] args) {
    if (args[0] == null) {
      return List.of();
    }
    Object root = ((PgJsonb) args[0]).root();
    List<Object[]> out = new ArrayList<>();
    if (each()) {
      if (!(root instanceof Map<?, ?> m)) {
        throw new EvalException("22023", "cannot call " + name + " on a non-object");
      }
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.add(new Object[] {e.getKey(), value(e.getValue())});
      }
      return out;
    }
    if (!(root instanceof List<?> list)) {
      throw new EvalException("22023", root instanceof Map
          ? "cannot extract elements from an object" : "cannot extract elements from a scalar");
    }
    for (Object element : list) {
      out.add(new Object[] {value(element)});
    }
    return out;
  }

  private Object value(Object node) {
    PgJsonb j = PgJsonb.of(node);
    return text() ? j.asText() : j;
  }
}
