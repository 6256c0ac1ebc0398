package io.trickle.compiler.plan;

import java.util.List;
import java.util.Objects;

/**
 * The row key an operator's output is identified by (DESIGN §5).
 *
 * <p>{@link #unique()} keys name columns whose values identify at most one row; an empty unique
 * key means the output has at most one row (a global aggregate). A non-unique key ({@link
 * #ROW_HASH}) means duplicates are possible: rows are identified by a hash of the whole row and
 * carry a multiplicity.
 */
public record RowKey(boolean unique, List<Integer> columns) {
  public static final RowKey ROW_HASH = new RowKey(false, List.of());
  public static final RowKey SINGLE_ROW = new RowKey(true, List.of());

  public RowKey {
    columns = List.copyOf(Objects.requireNonNull(columns, "columns"));
    if (!unique && !columns.isEmpty()) {
      throw new IllegalArgumentException("a row-hash key has no columns");
    }
  }

  public static RowKey of(List<Integer> columns) {
    return new RowKey(true, columns);
  }

  public String describe(List<Column> cols) {
    if (!unique) {
      return "<row hash, counted>";
    }
    if (columns.isEmpty()) {
      return "<single row>";
    }
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(cols.get(columns.get(i)).name());
    }
    return sb.append(']').toString();
  }
}
