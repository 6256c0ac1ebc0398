package io.trickle.compiler.expr;

/**
 * PostgreSQL's string functions on text: ||, lower/upper, substring, position, trim,
 * char_length. Positions and lengths count characters (code points), not UTF-16 units.
 */
final class TextFunctions {
  private TextFunctions() {}

  static String concat(String a, String b) {
    return a.concat(b);
  }

  static long charLength(String s) {
    return s.codePointCount(0, s.length());
  }

  /**
   * lower()/upper() follow the collation's character classes: under "C" only ASCII letters
   * change, under a linguistic collation every cased letter does. The runtime cannot tell which,
   * so a cased non-ASCII character is an error rather than a possibly wrong value.
   */
  static String lower(String s) {
    return mapCase(s, false);
  }

  static String upper(String s) {
    return mapCase(s, true);
  }

  private static String mapCase(String s, boolean upper) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      char m;
      if (c < 0x80) {
        m = upper ? (c >= 'a' && c <= 'z' ? (char) (c - 32) : c)
            : (c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
      } else {
        requireCaseless(s, i, upper ? "upper" : "lower");
        m = c;
      }
      if (m != c && sb == null) {
        sb = new StringBuilder(s.length()).append(s, 0, i);
      }
      if (sb != null) {
        sb.append(m);
      }
    }
    return sb == null ? s : sb.toString();
  }

  /** Characters without case (digits, CJK, symbols, emoji) are the same under every collation. */
  static void requireCaseless(String s, int index, String function) {
    int cp = s.codePointAt(index);
    if (Character.toLowerCase(cp) != cp || Character.toUpperCase(cp) != cp
        || Character.toTitleCase(cp) != cp) {
      throw new EvalException("0A000", function + "() of the non-ASCII letter '"
          + new String(Character.toChars(cp)) + "' depends on the collation and is not"
          + " supported by trickle");
    }
  }

  /**
   * substring(s FROM start [FOR count]): characters start .. start+count-1 that exist; a
   * negative count is an error.
   */
  static String substring(String s, long start, Long count) {
    long end;
    if (count == null) {
      end = Long.MAX_VALUE;
    } else {
      if (count < 0) {
        throw new EvalException("22011", "negative substring length not allowed");
      }
      end = start + count; // exclusive, 1-based; int arguments cannot overflow a long
    }
    long from = Math.max(start, 1);
    if (end <= from) {
      return "";
    }
    int n = s.codePointCount(0, s.length());
    if (from > n) {
      return "";
    }
    int b = s.offsetByCodePoints(0, (int) from - 1);
    if (end - 1 >= n) {
      return s.substring(b);
    }
    int e = s.offsetByCodePoints(b, (int) (end - from));
    return s.substring(b, e);
  }

  /** position(sub IN s): 1-based character index of the first occurrence, 0 if none. */
  static long position(String sub, String s) {
    int at = s.indexOf(sub);
    return at < 0 ? 0 : s.codePointCount(0, at) + 1;
  }

  /** btrim/ltrim/rtrim: removes characters contained in {@code chars} from the chosen ends. */
  static String trim(String s, String chars, boolean leading, boolean trailing) {
    int b = 0;
    int e = s.length();
    if (leading) {
      while (b < e) {
        int cp = s.codePointAt(b);
        if (!contains(chars, cp)) {
          break;
        }
        b += Character.charCount(cp);
      }
    }
    if (trailing) {
      while (e > b) {
        int cp = s.codePointBefore(e);
        if (!contains(chars, cp)) {
          break;
        }
        e -= Character.charCount(cp);
      }
    }
    return s.substring(b, e);
  }

  private static boolean contains(String chars, int cp) {
    return chars.indexOf(cp) >= 0;
  }
}
