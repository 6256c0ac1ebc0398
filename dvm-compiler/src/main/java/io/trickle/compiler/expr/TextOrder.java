package io.trickle.compiler.expr;

/**
 * Orders strings by Unicode code point, which is the order of their UTF-8 bytes and therefore
 * PostgreSQL's "C" collation. (String.compareTo orders UTF-16 units, which differs for
 * supplementary characters versus U+E000..U+FFFF.)
 */
final class TextOrder {
  private TextOrder() {}

  static int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char ca = a.charAt(i);
      char cb = b.charAt(i);
      if (ca != cb) {
        return fixup(ca) - fixup(cb);
      }
    }
    return a.length() - b.length();
  }

  /** Moves surrogates above U+E000..U+FFFF so UTF-16 unit order becomes code point order. */
  private static int fixup(char c) {
    if (c >= 0xD800) {
      return c >= 0xE000 ? c - 0x800 : c + 0x2000;
    }
    return c;
  }
}
