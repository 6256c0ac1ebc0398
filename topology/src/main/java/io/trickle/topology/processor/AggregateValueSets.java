package io.trickle.topology.processor;

import io.trickle.topology.state.StateStores;

import io.trickle.compiler.plan.AggCall;
import io.trickle.topology.state.ByteReader;
import io.trickle.topology.state.ByteWriter;
import io.trickle.topology.state.KeyCodec;
import io.trickle.topology.state.RowCodec;
import io.trickle.topology.state.SortKeyCodec;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Per-group multisets of values with counts, in the aggregate's sorted store under
 * [group key, length-prefixed][agg index][entry] → [count][row]. DISTINCT aggregates key an
 * entry by the value as SQL equality sees it (1.0 = 1.00) and change the aggregate only when a
 * value's count crosses 0. STRING_AGG keys an entry by its ORDER BY keys (the value itself
 * without ORDER BY), then the exact value and delimiter; its result is re-rendered from the
 * group's range, O(group size) per change.
 */
final class AggregateValueSets {
  private static final int[] FIRST = {0};

  private final KeyValueStore<Bytes, byte[]> store;

  AggregateValueSets(KeyValueStore<Bytes, byte[]> store) {
    this.store = store;
  }

  /** Adds {@code weight} copies of a DISTINCT aggregate's value; returns -1, 0 or +1 presence. */
  long addDistinct(byte[] groupKey, int agg, Object value, long weight) {
    byte[] entry = KeyCodec.encode(new Object[] {value}, FIRST);
    long[] counts = update(key(groupKey, agg, entry), new Object[] {value}, weight);
    return (counts[1] > 0 ? 1 : 0) - (counts[0] > 0 ? 1 : 0);
  }

  /** How many copies of a DISTINCT aggregate's value the group holds. */
  long distinctCount(byte[] groupKey, int agg, Object value) {
    byte[] stored = store.get(key(groupKey, agg, KeyCodec.encode(new Object[] {value}, FIRST)));
    return stored == null ? 0 : new ByteReader(stored).readLong();
  }

  /** Adds {@code weight} copies of a STRING_AGG (value non-NULL) or ARRAY_AGG input. */
  void addOrdered(byte[] groupKey, int agg, AggCall call, Object[] row, long weight) {
    Object value = row[call.arg()];
    Object delimiter = call.extraArgs().isEmpty() ? null : row[call.extraArgs().get(0)];
    ByteWriter w = new ByteWriter(32);
    if (call.orderBy().isEmpty()) {
      // PostgreSQL's order is unspecified here; trickle's is the values' code point order.
      SortKeyCodec.write(w, value, false, false);
    } else {
      for (AggCall.OrderKey k : call.orderBy()) {
        SortKeyCodec.write(w, row[k.column()], k.descending(), k.nullsFirst());
      }
    }
    Object[] stored = {value, delimiter};
    w.writeBytes(RowCodec.encode(stored));
    update(key(groupKey, agg, w.toByteArray()), stored, weight);
  }

  /** The group's STRING_AGG value: entries in order, each repeated by its count unless DISTINCT. */
  String render(byte[] groupKey, int agg, boolean distinct) {
    StringBuilder sb = null;
    try (KeyValueIterator<Bytes, byte[]> it = StateStores.scans(store).range(bound(groupKey, agg),
        bound(groupKey, agg + 1))) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> kv = it.next();
        ByteReader r = new ByteReader(kv.value);
        long count = r.readLong();
        Object[] entry = RowCodec.readRow(r);
        for (long c = distinct ? Math.min(count, 1) : count; c > 0; c--) {
          if (sb == null) {
            sb = new StringBuilder();
          } else if (entry[1] != null) {
            sb.append((String) entry[1]);
          }
          sb.append((String) entry[0]);
        }
      }
    }
    return sb == null ? null : sb.toString();
  }

  /**
   * The group's ARRAY_AGG value: entries in order, each repeated by its count unless DISTINCT;
   * null when there are none.
   */
  java.util.List<Object> renderArray(byte[] groupKey, int agg, boolean distinct) {
    java.util.List<Object> out = new java.util.ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = StateStores.scans(store).range(bound(groupKey, agg),
        bound(groupKey, agg + 1))) {
      while (it.hasNext()) {
        ByteReader r = new ByteReader(it.next().value);
        long count = r.readLong();
        Object[] entry = RowCodec.readRow(r);
        for (long c = distinct ? Math.min(count, 1) : count; c > 0; c--) {
          out.add(entry[0]);
        }
      }
    }
    return out.isEmpty() ? null : java.util.Collections.unmodifiableList(out);
  }

  /** Returns the counts before and after. */
  private long[] update(Bytes key, Object[] stored, long weight) {
    byte[] old = store.get(key);
    long before = old == null ? 0 : new ByteReader(old).readLong();
    long after = before + weight;
    if (after == 0) {
      store.delete(key);
    } else {
      ByteWriter v = new ByteWriter(32).writeLong(after);
      RowCodec.writeRow(v, stored);
      store.put(key, v.toByteArray());
    }
    return new long[] {before, after};
  }

  private static Bytes key(byte[] groupKey, int agg, byte[] entry) {
    return Bytes.wrap(new ByteWriter(groupKey.length + entry.length + 8)
        .writeLengthPrefixed(groupKey).writeByte(agg).writeBytes(entry).toByteArray());
  }

  /** No entry key equals this bound: every entry after the agg byte is non-empty. */
  private static Bytes bound(byte[] groupKey, int agg) {
    return Bytes.wrap(new ByteWriter(groupKey.length + 5).writeLengthPrefixed(groupKey)
        .writeByte(agg).toByteArray());
  }
}
