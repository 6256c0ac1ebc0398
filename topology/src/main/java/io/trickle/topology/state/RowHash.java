package io.trickle.topology.state;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The 128-bit identity of a row in a stream table without a unique key. */
public final class RowHash {
  private RowHash() {}

  /** 16 bytes: MD5 (used as a fingerprint, not for security) of the row's exact encoding. */
  public static byte[] of(Object[] row) {
    try {
      return MessageDigest.getInstance("MD5").digest(RowCodec.encode(row));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM provides MD5", e);
    }
  }

  public static String hex(byte[] hash) {
    return HexFormat.of().formatHex(hash);
  }
}
