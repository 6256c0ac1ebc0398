package io.trickle.topology.state;

import java.nio.charset.StandardCharsets;

/**
 * Order-preserving encoding of a list of ORDER BY values, so that unsigned byte-wise comparison
 * of the encodings is the ORDER BY order: per value a NULL flag placing NULLs first or last, then
 * the value's {@link OrderedCodec} bytes (text escaped and terminated, so that every encoding is
 * prefix-free and several values concatenate safely), complemented for DESC.
 */
public final class SortKeyCodec {
  private static final int NULL_FIRST = 0x00;
  private static final int VALUE = 0x01;
  private static final int NULL_LAST = 0x02;

  private SortKeyCodec() {}

  public static void write(ByteWriter w, Object v, boolean descending, boolean nullsFirst) {
    if (v == null) {
      w.writeByte(nullsFirst ? NULL_FIRST : NULL_LAST);
      return;
    }
    w.writeByte(VALUE);
    byte[] bytes = v instanceof String s ? text(s) : OrderedCodec.encode(v);
    if (descending) {
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) ~bytes[i];
      }
    }
    w.writeBytes(bytes);
  }

  /** UTF-8 (code point order) with 0x00 escaped as 0x00 0xFF and terminated by 0x00 0x00. */
  private static byte[] text(String s) {
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
}
