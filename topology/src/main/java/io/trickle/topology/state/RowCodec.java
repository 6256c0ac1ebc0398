package io.trickle.topology.state;

import io.trickle.compiler.expr.PgInterval;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;

/**
 * Compact binary encoding of runtime rows for state stores: a value count, then one type tag
 * and payload per value. Exact: it round-trips every runtime value, including a numeric's scale,
 * so equal bytes mean identical rows (the identity the Z-set stores use).
 */
public final class RowCodec {
  private static final int NULL = 0;
  private static final int FALSE = 1;
  private static final int TRUE = 2;
  private static final int LONG = 3;
  private static final int NUMERIC = 4;
  private static final int DOUBLE = 5;
  private static final int TEXT = 6;
  private static final int DATE = 7;
  private static final int TIME = 8;
  private static final int TIMESTAMP = 9;
  private static final int TIMESTAMPTZ = 10;
  /** Well apart from the next free tags, which other value kinds may take. */
  private static final int INTERVAL = 32;
  /** Distinct from the tags of other value kinds (arrays: 11, intervals: 32). */
  private static final int JSONB = 40;
  /** An array: element count, then each element as a value. */
  private static final int ARRAY = 11;

  private RowCodec() {}

  public static byte[] encode(Object[] row) {
    ByteWriter w = new ByteWriter(16 + row.length * 9);
    writeRow(w, row);
    return w.toByteArray();
  }

  public static void writeRow(ByteWriter w, Object[] row) {
    w.writeInt(row.length);
    for (Object v : row) {
      writeValue(w, v);
    }
  }

  public static Object[] decode(byte[] bytes) {
    return readRow(new ByteReader(bytes));
  }

  public static Object[] decode(byte[] bytes, int offset, int length) {
    return readRow(new ByteReader(bytes, offset, length));
  }

  public static Object[] readRow(ByteReader r) {
    int n = r.readInt();
    Object[] row = new Object[n];
    for (int i = 0; i < n; i++) {
      row[i] = readValue(r);
    }
    return row;
  }

  public static void writeValue(ByteWriter w, Object v) {
    if (v == null) {
      w.writeByte(NULL);
    } else if (v instanceof Boolean b) {
      w.writeByte(b ? TRUE : FALSE);
    } else if (v instanceof Long l) {
      w.writeByte(LONG).writeLong(l);
    } else if (v instanceof BigDecimal d) {
      w.writeByte(NUMERIC).writeInt(d.scale()).writeLengthPrefixed(d.unscaledValue().toByteArray());
    } else if (v instanceof Double d) {
      w.writeByte(DOUBLE).writeLong(Double.doubleToLongBits(d));
    } else if (v instanceof String s) {
      w.writeByte(TEXT).writeLengthPrefixed(s.getBytes(StandardCharsets.UTF_8));
    } else if (v instanceof LocalDate d) {
      w.writeByte(DATE).writeLong(d.toEpochDay());
    } else if (v instanceof LocalTime t) {
      w.writeByte(TIME).writeLong(t.toNanoOfDay());
    } else if (v instanceof LocalDateTime t) {
      w.writeByte(TIMESTAMP).writeLong(t.toEpochSecond(ZoneOffset.UTC)).writeInt(t.getNano());
    } else if (v instanceof Instant t) {
      w.writeByte(TIMESTAMPTZ).writeLong(t.getEpochSecond()).writeInt(t.getNano());
    } else if (v instanceof PgInterval i) {
      w.writeByte(INTERVAL).writeInt(i.months()).writeInt(i.days()).writeLong(i.micros());
    } else if (v instanceof io.trickle.compiler.expr.PgJsonb j) {
      w.writeByte(JSONB).writeLengthPrefixed(j.toString().getBytes(StandardCharsets.UTF_8));
    } else if (v instanceof java.util.List<?> list) {
      w.writeByte(ARRAY).writeInt(list.size());
      for (Object e : list) {
        writeValue(w, e);
      }
    } else {
      throw new IllegalArgumentException("not a runtime value: " + v.getClass().getName());
    }
  }

  public static Object readValue(ByteReader r) {
    int tag = r.readByte();
    return switch (tag) {
      case NULL -> null;
      case FALSE -> Boolean.FALSE;
      case TRUE -> Boolean.TRUE;
      case LONG -> r.readLong();
      case NUMERIC -> {
        int scale = r.readInt();
        yield new BigDecimal(new BigInteger(r.readLengthPrefixed()), scale);
      }
      case DOUBLE -> Double.longBitsToDouble(r.readLong());
      case TEXT -> new String(r.readLengthPrefixed(), StandardCharsets.UTF_8);
      case DATE -> LocalDate.ofEpochDay(r.readLong());
      case TIME -> LocalTime.ofNanoOfDay(r.readLong());
      case TIMESTAMP -> LocalDateTime.ofEpochSecond(r.readLong(), r.readInt(), ZoneOffset.UTC);
      case TIMESTAMPTZ -> Instant.ofEpochSecond(r.readLong(), r.readInt());
      case INTERVAL -> new PgInterval(r.readInt(), r.readInt(), r.readLong());
      case JSONB -> io.trickle.compiler.expr.PgJsonb.parse(
          new String(r.readLengthPrefixed(), StandardCharsets.UTF_8));
      case ARRAY -> {
        int n = r.readInt();
        Object[] elements = new Object[n];
        for (int i = 0; i < n; i++) {
          elements[i] = readValue(r);
        }
        yield java.util.Collections.unmodifiableList(java.util.Arrays.asList(elements));
      }
      default -> throw new IllegalArgumentException("unknown value tag " + tag);
    };
  }

  public static byte[] encodeValue(Object v) {
    ByteWriter w = new ByteWriter(16);
    writeValue(w, v);
    return w.toByteArray();
  }

  public static Object decodeValue(byte[] bytes) {
    return readValue(new ByteReader(bytes));
  }
}
