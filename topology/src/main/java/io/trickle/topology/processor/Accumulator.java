package io.trickle.topology.processor;

import io.trickle.topology.state.ByteReader;
import io.trickle.topology.state.ByteWriter;
import io.trickle.topology.state.RowCodec;

/**
 * Per-group aggregate state as stored in {@code aggregate-N-groups}: the group's row count, its
 * group column values (as first seen), whether its row has been emitted, and per aggregate the
 * count of non-null inputs, a running sum (Long, BigDecimal or Double), the current MIN/MAX, and
 * for numeric sums how many inputs have each scale (PostgreSQL shows a numeric sum with the
 * largest scale among its current inputs, so a retraction can lower it). The variance family
 * also keeps a sum of squares and a count of non-finite float inputs; STRING_AGG keeps its
 * rendered value in {@code extremes}. Those two fields follow as a trailer, so state written
 * before they existed still decodes.
 */
final class Accumulator {
  long count;
  boolean emitted;
  Object[] groupValues;
  final long[] nonNull;
  final Object[] sums;
  final Object[] extremes;
  final java.util.TreeMap<Integer, Long>[] scales;
  final Object[] squares;
  final long[] nonFinite;

  Accumulator(Object[] groupValues, int aggs) {
    this.groupValues = groupValues;
    this.nonNull = new long[aggs];
    this.sums = new Object[aggs];
    this.extremes = new Object[aggs];
    @SuppressWarnings("unchecked")
    java.util.TreeMap<Integer, Long>[] maps = new java.util.TreeMap[aggs];
    this.scales = maps;
    this.squares = new Object[aggs];
    this.nonFinite = new long[aggs];
  }

  Accumulator copy() {
    Accumulator c = new Accumulator(groupValues, nonNull.length);
    c.count = count;
    c.emitted = emitted;
    System.arraycopy(nonNull, 0, c.nonNull, 0, nonNull.length);
    System.arraycopy(sums, 0, c.sums, 0, sums.length);
    System.arraycopy(extremes, 0, c.extremes, 0, extremes.length);
    for (int i = 0; i < scales.length; i++) {
      c.scales[i] = scales[i] == null ? null : new java.util.TreeMap<>(scales[i]);
    }
    System.arraycopy(squares, 0, c.squares, 0, squares.length);
    System.arraycopy(nonFinite, 0, c.nonFinite, 0, nonFinite.length);
    return c;
  }

  byte[] encode() {
    ByteWriter w = new ByteWriter(64);
    w.writeLong(count).writeByte(emitted ? 1 : 0);
    RowCodec.writeRow(w, groupValues);
    w.writeInt(nonNull.length);
    for (int i = 0; i < nonNull.length; i++) {
      w.writeLong(nonNull[i]);
      RowCodec.writeValue(w, sums[i]);
      RowCodec.writeValue(w, extremes[i]);
      java.util.TreeMap<Integer, Long> sc = scales[i];
      w.writeInt(sc == null ? 0 : sc.size());
      if (sc != null) {
        sc.forEach((scale, n) -> w.writeInt(scale).writeLong(n));
      }
    }
    for (int i = 0; i < nonNull.length; i++) {
      RowCodec.writeValue(w, squares[i]);
      w.writeLong(nonFinite[i]);
    }
    return w.toByteArray();
  }

  static Accumulator decode(byte[] bytes) {
    ByteReader r = new ByteReader(bytes);
    long count = r.readLong();
    boolean emitted = r.readByte() != 0;
    Object[] groupValues = RowCodec.readRow(r);
    int n = r.readInt();
    Accumulator a = new Accumulator(groupValues, n);
    a.count = count;
    a.emitted = emitted;
    for (int i = 0; i < n; i++) {
      a.nonNull[i] = r.readLong();
      a.sums[i] = RowCodec.readValue(r);
      a.extremes[i] = RowCodec.readValue(r);
      int n2 = r.readInt();
      if (n2 > 0) {
        a.scales[i] = new java.util.TreeMap<>();
        for (int j = 0; j < n2; j++) {
          a.scales[i].put(r.readInt(), r.readLong());
        }
      }
    }
    if (r.hasMore()) {
      for (int i = 0; i < n; i++) {
        a.squares[i] = RowCodec.readValue(r);
        a.nonFinite[i] = r.readLong();
      }
    }
    return a;
  }
}
