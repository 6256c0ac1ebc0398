package io.trickle.topology.state;

import java.nio.charset.StandardCharsets;

/**
 * Order-preserving, self-delimiting encoding of several ORDER BY keys, each ascending or
 * descending with NULLs first or last, so that an unsigned byte-wise comparison of the encodings
 * is the ORDER BY order. Text orders by code point. Every key's encoding is prefix-free, so bytes
 * appended after the whole encoding only break ties.
 */
public final class SortKeyCodec {
  private static final int NULL_FIRST = 0x00;
  private static final int VALUE = 0x01;
  private static final int NULL_LAST = 0x02;

  private SortKeyCodec() {}

  public static void write(ByteWriter w, Object value, boolean descending, boolean nullsFirst) {
    if (value == null) {
      w.writeByte(nullsFirst ? NULL_FIRST : NULL_LAST);
      return;
    }
    w.writeByte(VALUE);
    byte[] payload = payload(value);
    if (descending) {
      for (int i = 0; i < payload.length; i++) {
        payload[i] = (byte) ~payload[i];
      }
    }
    w.writeBytes(payload);
  }

  /** Strings: 0x00 escaped as 0x00 0xFF, terminated by 0x00 0x00; others: {@link OrderedCodec}. */
  private static byte[] payload(Object value) {
    if (value instanceof String s) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      ByteWriter w = new ByteWriter(utf8.length + 2);
      for (byte b : utf8) {
        w.writeByte(b);
        if (b == 0) {
          w.writeByte(0xFF);
        }
      }
      return w.writeByte(0).writeByte(0).toByteArray();
    }
    // Fixed length per kind, or self-terminated (numeric), hence prefix-free.
    return OrderedCodec.encode(value);
  }
}
