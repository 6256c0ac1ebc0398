package io.trickle.compiler.expr;

import io.trickle.compiler.plan.ColumnType;
import java.util.List;
import java.util.Objects;

/**
 * {@code unnest(array)}: one row per element, in order, NULL elements included; a NULL or empty
 * array produces no rows.
 *
 * @param element the array's element type
 */
public record Unnest(ColumnType element) implements SetFunction {
  public Unnest {
    Objects.requireNonNull(element, "element");
  }

  @Override
  public String name() {
    return "unnest";
  }

  @Override
  public List<ColumnType> columnTypes() {
    return List.of(element);
  }

  @Override
  public boolean distinctRows() {
    return false;
  }

  @Override
  public List<Object[]> apply(Object[] args) {
    if (!(args[0] instanceof List<?> array)) {
      return List.of();
    }
    return array.stream().map(e -> new Object[] {e}).toList();
  }

  @Override
  public String toString() {
    return "unnest<" + element + ">";
  }
}
