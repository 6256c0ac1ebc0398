package io.trickle.topology.state;

import io.trickle.compiler.expr.PgInterval;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;

/**
 * Order-preserving encoding of one non-null runtime value: unsigned byte-wise comparison of the
 * encodings agrees with {@code Values.compare} for values of the same kind, so a RocksDB range
 * scan finds MIN and MAX. Every encoding starts with {@link #PRESENT} and is never empty.
 * Numerics that are equal by value but differ in scale get distinct encodings (scale appended),
 * so the store keeps each exact value.
 */
public final class OrderedCodec {
  static final int PRESENT = 0x01;
  private static final int NEGATIVE = 0x40;
  private static final int ZERO = 0x80;
  private static final int POSITIVE = 0xC0;

  private OrderedCodec() {}

  public static byte[] encode(Object v) {
    ByteWriter w = new ByteWriter(16);
    w.writeByte(PRESENT);
    if (v instanceof Long l) {
      w.writeLong(l ^ Long.MIN_VALUE);
    } else if (v instanceof Double d) {
      w.writeLong(orderedDoubleBits(d));
    } else if (v instanceof BigDecimal d) {
      writeNumeric(w, d);
    } else if (v instanceof String s) {
      // UTF-8 byte order is code point order, which is the "C" collation PostgreSQL compares by.
      w.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    } else if (v instanceof Boolean b) {
      w.writeByte(b ? 1 : 0);
    } else if (v instanceof LocalDate d) {
      w.writeLong(d.toEpochDay() ^ Long.MIN_VALUE);
    } else if (v instanceof LocalTime t) {
      w.writeLong(t.toNanoOfDay());
    } else if (v instanceof LocalDateTime t) {
      w.writeLong(t.toEpochSecond(ZoneOffset.UTC) ^ Long.MIN_VALUE).writeInt(t.getNano());
    } else if (v instanceof Instant t) {
      w.writeLong(t.getEpochSecond() ^ Long.MIN_VALUE).writeInt(t.getNano());
    } else if (v instanceof PgInterval i) {
      // PostgreSQL's order (30-day months, 24-hour days), then the exact fields as a tie-break.
      PgInterval c = i.canonical();
      w.writeLong((c.months() * 30L + c.days()) ^ Long.MIN_VALUE).writeLong(c.micros())
          .writeInt(i.months() ^ Integer.MIN_VALUE).writeInt(i.days() ^ Integer.MIN_VALUE)
          .writeLong(i.micros() ^ Long.MIN_VALUE);
    } else {
      throw new IllegalArgumentException("cannot order " + (v == null ? "NULL" : v.getClass().getName()));
    }
    return w.toByteArray();
  }

  /** NaN sorts above every other double, as in PostgreSQL; -0.0 sorts just below 0.0. */
  private static long orderedDoubleBits(double d) {
    long bits = Double.doubleToLongBits(d);
    return bits < 0 ? ~bits : bits ^ Long.MIN_VALUE;
  }

  /**
   * Sign byte; then for non-zero values the decimal exponent (value = 0.d1d2... x 10^e) and the
   * digits, terminated. Negative values complement exponent and digits so larger magnitudes sort
   * first. Finally the scale, as a tie-breaker among equal values.
   */
  private static void writeNumeric(ByteWriter w, BigDecimal d) {
    int sign = d.signum();
    if (sign == 0) {
      w.writeByte(ZERO);
    } else {
      BigDecimal stripped = d.stripTrailingZeros();
      String digits = stripped.unscaledValue().abs().toString();
      int exponent = digits.length() - stripped.scale();
      int mask = sign < 0 ? 0xFF : 0x00;
      w.writeByte(sign < 0 ? NEGATIVE : POSITIVE);
      int e = exponent ^ Integer.MIN_VALUE;
      w.writeInt(sign < 0 ? ~e : e);
      for (int i = 0; i < digits.length(); i++) {
        w.writeByte((digits.charAt(i) - '0' + 1) ^ mask);
      }
      w.writeByte(mask);
    }
    w.writeInt(d.scale() ^ Integer.MIN_VALUE);
  }
}
