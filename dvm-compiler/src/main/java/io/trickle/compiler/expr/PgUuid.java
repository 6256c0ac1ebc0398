package io.trickle.compiler.expr;

/**
 * uuid values are their lower-case canonical text ({@code 8-4-4-4-12} hex digits): equal uuids
 * have equal text, and code point order of that text is PostgreSQL's byte order of uuids.
 */
public final class PgUuid {
  private static final String HEX = "0123456789abcdef";

  private PgUuid() {}

  /**
   * PostgreSQL's uuid_in: 32 hex digits in either case, optionally in braces, with a hyphen
   * allowed after any group of four digits.
   *
   * @throws EvalException 22P02 for anything else
   */
  public static String parse(String text) {
    int i = 0;
    boolean braces = text.startsWith("{");
    if (braces) {
      i++;
    }
    StringBuilder sb = new StringBuilder(36);
    for (int b = 0; b < 16; b++) {
      if (i + 2 > text.length()) {
        throw invalid(text);
      }
      int hi = Character.digit(text.charAt(i), 16);
      int lo = Character.digit(text.charAt(i + 1), 16);
      if (hi < 0 || lo < 0 || text.charAt(i) > 'f' || text.charAt(i + 1) > 'f') {
        throw invalid(text);
      }
      sb.append(HEX.charAt(hi)).append(HEX.charAt(lo));
      if (b == 3 || b == 5 || b == 7 || b == 9) {
        sb.append('-');
      }
      i += 2;
      if (i < text.length() && text.charAt(i) == '-' && b % 2 == 1 && b < 15) {
        i++;
      }
    }
    if (braces) {
      if (i >= text.length() || text.charAt(i) != '}') {
        throw invalid(text);
      }
      i++;
    }
    if (i != text.length()) {
      throw invalid(text);
    }
    return sb.toString();
  }

  private static EvalException invalid(String text) {
    return new EvalException("22P02", "invalid input syntax for type uuid: \"" + text + "\"");
  }
}
