package io.trickle.topology.state;

import java.math.BigDecimal;
import java.util.List;

/**
 * Encodes grouping and join keys so that SQL-equal keys have equal bytes: numerics compare by
 * value (1.0 = 1.00, also inside jsonb) and -0.0 = 0.0, as PostgreSQL's equality does.
 */
public final class KeyCodec {
  private KeyCodec() {}

  /** The key of {@code row} over {@code columns}; a NULL stays NULL (fine for GROUP BY). */
  public static byte[] encode(Object[] row, int[] columns) {
    ByteWriter w = new ByteWriter(8 + columns.length * 9);
    w.writeInt(columns.length);
    for (int c : columns) {
      RowCodec.writeValue(w, normalize(row[c]));
    }
    return w.toByteArray();
  }

  /** Like {@link #encode} but returns null when a key value is NULL (SQL equality never matches). */
  public static byte[] encodeNullRejecting(Object[] row, int[] columns) {
    for (int c : columns) {
      if (row[c] == null) {
        return null;
      }
    }
    return encode(row, columns);
  }

  public static int[] toArray(List<Integer> columns) {
    return columns.stream().mapToInt(Integer::intValue).toArray();
  }

  static Object normalize(Object v) {
    if (v instanceof BigDecimal d) {
      return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
    }
    if (v instanceof Double d && d == 0.0d) {
      return 0.0d;
    }
    if (v instanceof io.trickle.compiler.expr.PgInterval i) {
      return i.canonical(); // '1 mon' = '30 days', as PostgreSQL's interval equality
    }
    if (v instanceof io.trickle.compiler.expr.PgJsonb j) {
      return j.normalized(); // jsonb numbers compare by value, as numerics do
    }
    if (v instanceof List<?> list) {
      // PostgreSQL's array equality compares elements with their own equality.
      return list.stream().map(KeyCodec::normalize).collect(java.util.stream.Collectors.toList());
    }
    return v;
  }
}
