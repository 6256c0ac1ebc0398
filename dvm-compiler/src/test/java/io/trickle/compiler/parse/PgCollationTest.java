package io.trickle.compiler.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which collations order text by code point, the order the runtime implements. */
class PgCollationTest {

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
      "c, C, true", "c, POSIX, true", "c, C.UTF-8, true", "c, C.utf8, true", "c, c.UTF8, true",
      "c, en_US.UTF-8, false", "c, de_DE, false", "c, C.ISO-8859-1, false",
      "b, C, true", "b, C.UTF-8, true", "b, PG_UNICODE_FAST, true",
      "i, und, false", "i, en, false", "i, C, false"})
  void codePointOrder(char provider, String locale, boolean expected) {
    PgCollation c = new PgCollation("x", provider, locale, true, false);
    assertThat(c.ordersByCodePoint()).as("%s/%s", provider, locale).isEqualTo(expected);
  }

  @Test
  void anUnknownLocaleIsNotTrusted() {
    assertThat(new PgCollation("x", 'c', null, true, true).ordersByCodePoint())
        .as("no locale").isFalse();
  }

  @Test
  void theDefaultIsNamedByItsLocale() {
    assertThat(new PgCollation("default", 'c', "en_US.UTF-8", true, true).display())
        .isEqualTo("\"en_US.UTF-8\" (the database default)");
    assertThat(new PgCollation("en-x-icu", 'i', "en", true, false).display())
        .isEqualTo("\"en-x-icu\"");
  }
}
