package io.trickle.compiler.expr;

/**
 * PostgreSQL's LIKE and ILIKE ({@code MatchText} in like_match.c, including when it raises
 * errors): {@code _} is one character, {@code %} any run of characters, and the escape character
 * (backslash unless ESCAPE says otherwise; ESCAPE '' turns escaping off) makes the next character
 * literal. A custom escape is first rewritten to backslash form as {@code like_escape} does.
 * Matching is by code point, which equals PostgreSQL under a deterministic collation. ILIKE folds
 * ASCII letters; a cased non-ASCII letter raises an error because PostgreSQL folds it only under
 * a linguistic collation.
 */
final class LikeMatcher {
  private enum Result { TRUE, FALSE, ABORT }

  private static final int BACKSLASH = '\\';

  /** The pattern in backslash-escape form, as code points. */
  private final int[] pattern;
  private final boolean caseInsensitive;

  private LikeMatcher(int[] pattern, boolean caseInsensitive) {
    this.pattern = pattern;
    this.caseInsensitive = caseInsensitive;
  }

  /**
   * @param escape the ESCAPE string ("" for none), or null for the default backslash
   * @throws EvalException 22025 for an escape string longer than one character
   */
  static LikeMatcher compile(String pattern, String escape, boolean caseInsensitive) {
    if (caseInsensitive) {
      pattern = fold(pattern);
    }
    return new LikeMatcher(toBackslashForm(pattern, escape).codePoints().toArray(),
        caseInsensitive);
  }

  /** like_escape: the pattern rewritten so that backslash is the escape character. */
  private static String toBackslashForm(String p, String escape) {
    if (escape == null || escape.equals("\\")) {
      return p;
    }
    if (escape.isEmpty()) {
      return p.replace("\\", "\\\\");
    }
    if (escape.codePointCount(0, escape.length()) != 1) {
      throw new EvalException("22025", "invalid escape string");
    }
    int e = escape.codePointAt(0);
    StringBuilder sb = new StringBuilder(p.length() + 4);
    boolean afterEscape = false;
    for (int i = 0; i < p.length(); ) {
      int c = p.codePointAt(i);
      i += Character.charCount(c);
      if (afterEscape) {
        sb.append('\\').appendCodePoint(c);
        afterEscape = false;
      } else if (c == e) {
        afterEscape = true;
      } else if (c == BACKSLASH) {
        sb.append("\\\\");
      } else {
        sb.appendCodePoint(c);
      }
    }
    if (afterEscape) {
      sb.append('\\'); // a trailing escape stays, and fails where MatchText reaches it
    }
    return sb.toString();
  }

  boolean matches(String text) {
    int[] t = (caseInsensitive ? fold(text) : text).codePoints().toArray();
    return match(t, 0, pattern, 0) == Result.TRUE;
  }

  private static Result match(int[] t, int ti, int[] p, int pi) {
    if (pi == p.length && ti == t.length) {
      return Result.TRUE;
    }
    while (ti < t.length && pi < p.length) {
      int c = p[pi];
      if (c == BACKSLASH) {
        pi++;
        if (pi >= p.length) {
          throw endsWithEscape();
        }
        if (p[pi] != t[ti]) {
          return Result.FALSE;
        }
      } else if (c == '%') {
        pi++;
        while (pi < p.length) {
          if (p[pi] == '%') {
            pi++;
          } else if (p[pi] == '_') {
            if (ti >= t.length) {
              return Result.ABORT;
            }
            ti++;
            pi++;
          } else {
            break;
          }
        }
        if (pi >= p.length) {
          return Result.TRUE;
        }
        int first;
        if (p[pi] == BACKSLASH) {
          if (pi + 1 >= p.length) {
            throw endsWithEscape();
          }
          first = p[pi + 1];
        } else {
          first = p[pi];
        }
        while (ti < t.length) {
          if (t[ti] == first) {
            Result r = match(t, ti, p, pi);
            if (r != Result.FALSE) {
              return r;
            }
          }
          ti++;
        }
        return Result.ABORT;
      } else if (c != '_' && c != t[ti]) {
        return Result.FALSE;
      }
      ti++;
      pi++;
    }
    if (ti < t.length) {
      return Result.FALSE;
    }
    while (pi < p.length && p[pi] == '%') {
      pi++;
    }
    return pi >= p.length ? Result.TRUE : Result.ABORT;
  }

  private static EvalException endsWithEscape() {
    return new EvalException("22025", "LIKE pattern must not end with escape character");
  }

  private static String fold(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        TextFunctions.requireCaseless(s, i, "ILIKE");
      }
      sb.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
    }
    return sb.toString();
  }
}
