package io.trickle.compiler.parse;

import java.util.Locale;
import java.util.Set;

/**
 * A collation as PostgreSQL resolves it: {@code provider} is pg_collation.collprovider ('c' libc,
 * 'b' builtin, 'i' ICU) and {@code locale} its collcollate (libc) or colllocale; the database
 * default collation is resolved to the database's own provider and locale.
 */
public record PgCollation(String name, char provider, String locale, boolean deterministic,
    boolean databaseDefault) {

  /** libc locales whose strcoll is byte order, i.e. code point order for UTF-8. */
  private static final Set<String> LIBC_CODE_POINT = Set.of("c", "posix", "c.utf8");
  /** Every builtin-provider locale sorts by code point (they differ only in character classes). */
  private static final Set<String> BUILTIN_CODE_POINT = Set.of("c", "c.utf8", "pg_unicode_fast");

  /**
   * Whether this collation orders text by Unicode code point, the only text order the runtime
   * implements. True for "C", "POSIX", "C.UTF-8" (libc and builtin), "ucs_basic" and
   * "pg_unicode_fast"; false for ICU and every other libc locale.
   */
  public boolean ordersByCodePoint() {
    if (locale == null) {
      return false;
    }
    String l = locale.toLowerCase(Locale.ROOT).replace("-", "");
    return switch (provider) {
      case 'c' -> LIBC_CODE_POINT.contains(l);
      case 'b' -> BUILTIN_CODE_POINT.contains(l);
      default -> false;
    };
  }

  /** How a message names it: its name, or the database locale for the database default. */
  public String display() {
    return databaseDefault ? "\"" + locale + "\" (the database default)" : "\"" + name + "\"";
  }
}
