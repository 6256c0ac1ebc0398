package io.trickle.topology.state;

/** Reads what {@link ByteWriter} wrote. */
public final class ByteReader {
  private final byte[] buf;
  private int pos;
  private final int end;

  public ByteReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  public ByteReader(byte[] buf, int offset, int length) {
    this.buf = buf;
    this.pos = offset;
    this.end = offset + length;
  }

  private void need(int n) {
    if (pos + n > end) {
      throw new IllegalArgumentException("truncated state bytes: need " + n + " at " + pos + " of " + end);
    }
  }

  public int readByte() {
    need(1);
    return buf[pos++] & 0xFF;
  }

  public int readInt() {
    need(4);
    int v = 0;
    for (int i = 0; i < 4; i++) {
      v = (v << 8) | (buf[pos++] & 0xFF);
    }
    return v;
  }

  public long readLong() {
    need(8);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (buf[pos++] & 0xFF);
    }
    return v;
  }

  public byte[] readBytes(int n) {
    need(n);
    byte[] out = new byte[n];
    System.arraycopy(buf, pos, out, 0, n);
    pos += n;
    return out;
  }

  public byte[] readLengthPrefixed() {
    return readBytes(readInt());
  }

  public int position() {
    return pos;
  }

  public boolean hasMore() {
    return pos < end;
  }

  /** The unread rest, without consuming it. */
  public byte[] rest() {
    byte[] out = new byte[end - pos];
    System.arraycopy(buf, pos, out, 0, out.length);
    return out;
  }
}
