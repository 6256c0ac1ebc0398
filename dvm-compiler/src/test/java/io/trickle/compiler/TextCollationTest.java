package io.trickle.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.trickle.compiler.parse.StreamTableDefinition;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Text ordering follows the collation PostgreSQL resolves for it; only code-point collations
 * compile, because that is the order the runtime implements. The test database's default is
 * libc "C.UTF-8"; {@code people.name} is ICU English; {@code ci} (from the schema) is a
 * non-deterministic ICU collation.
 */
class TextCollationTest {
  private static CompilerTestDatabase db;

  @BeforeAll
  static void start() throws Exception {
    db = new CompilerTestDatabase();
    try (Statement st = db.connection().createStatement()) {
      st.execute("create table tags (id int primary key, label text collate ci,"
          + " c8 text collate \"C.utf8\", b8 text collate pg_c_utf8, p text collate \"POSIX\","
          + " fixed char(4) collate \"en-x-icu\")");
      st.execute("create view people_max as select max(name) as top from people");
      st.execute("create database icu_default template template0 locale_provider icu"
          + " icu_locale 'en' locale 'C.UTF-8'");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "select max(code) as m, min(nick) as n from people",
      "select id from people where code < 'm' and nick between 'a' and 'z'",
      "select max(c8) as a, min(b8) as b, max(p) as c from tags",
      "select id from people where name = 'Zoë' or name in ('a', 'b') or name <> 'c'",
      "select name, count(*) as n from people group by name",
      "select id, name from people where id < 10",
      "select id, name from people order by name",
      "select id, code from people order by code desc limit 3",
      "select name from people union select name from people where id > 1"})
  void codePointOrderOrNoOrderCompiles(String sql) {
    assertThatCode(() -> db.compile(sql)).as(sql).doesNotThrowAnyException();
  }

  @Test
  void orderByUnderLimitUnderIcuIsRejectedAtTheOrderBy() {
    assertThat(rejection("select id, name from people order by name limit 3"))
        .isEqualTo("line 1, column 38: ORDER BY name with LIMIT orders text by the collation"
            + " \"en-x-icu\", which trickle cannot reproduce yet; use a column or database with"
            + " COLLATE \"C\" (or \"C.UTF-8\")");
  }

  @Test
  void maxUnderIcuIsRejectedAtTheCall() {
    assertThat(rejection("select id, max(name) as m from people group by id"))
        .isEqualTo("line 1, column 12: max(name) orders text by the collation \"en-x-icu\", which"
            + " trickle cannot reproduce yet; use a column or database with COLLATE \"C\" (or"
            + " \"C.UTF-8\")");
  }

  @Test
  void thePreferredCallIsTheOneOnTheOffendingColumn() {
    assertThat(rejection("select min(code) as a, min(name) as b from people"))
        .startsWith("line 1, column 24: min(name) orders text by the collation \"en-x-icu\"");
  }

  @Test
  void comparisonsAndBetweenUnderIcuAreRejected() {
    assertThat(rejection("select id from people\nwhere code < 'x' and name >= 'm'"))
        .startsWith("line 2, column 22: name >= 'm' orders text by the collation \"en-x-icu\"");
    assertThat(rejection("select id from people where name between 'a' and 'm'"))
        .startsWith("line 1, column 29: name between 'a' and 'm' orders text by the collation");
    assertThat(rejection("select id from people where 'm' < name"))
        .startsWith("line 1, column 29: 'm' < name orders text");
  }

  @Test
  void charColumnsAreFollowed() {
    assertThat(rejection("select max(fixed) as m from tags"))
        .startsWith("line 1, column 8: max(fixed) orders text by the collation \"en-x-icu\"");
  }

  @Test
  void anOrderingInsideAViewPointsAtTheView() {
    assertThat(rejection("select top from people_max"))
        .startsWith("line 1, column 17: max(name) in view people_max orders text by the collation"
            + " \"en-x-icu\"");
  }

  @Test
  void aNonDeterministicCollationIsRejectedEvenForEquality() {
    assertThat(rejection("select id from tags where label = 'x'"))
        .isEqualTo("line 1, column 27: column label uses the non-deterministic collation \"ci\","
            + " under which different strings can be equal, which trickle cannot reproduce yet;"
            + " use a deterministic collation such as \"C\"");
    assertThat(rejection("select label, count(*) as n from tags group by label"))
        .startsWith("line 1, column 8: column label uses the non-deterministic collation");
  }

  @Test
  void theDatabaseDefaultCollationCounts() throws Exception {
    try (Connection icu = db.connect("icu_default")) {
      try (Statement st = icu.createStatement()) {
        st.execute("create table words (id int primary key, w text, c text collate \"C\")");
      }
      StreamTableDefinition bad = StreamTableDefinition.of("st", "select max(w) as m from words");
      assertThat(rejection(bad, icu))
          .startsWith("line 1, column 8: max(w) orders text by the collation \"en\" (the database"
              + " default)");
      StreamTableDefinition good = StreamTableDefinition.of("st",
          "select max(c) as m from words where w = 'x' and c > 'a'");
      assertThatCode(() -> new StreamTableCompiler().compile(good, icu))
          .as("ordering a C column in an ICU database").doesNotThrowAnyException();
    }
  }

  private static String rejection(String sql) {
    return rejection(StreamTableDefinition.of("st", sql), db.connection());
  }

  private static String rejection(StreamTableDefinition def, Connection pg) {
    try {
      new StreamTableCompiler().compile(def, pg);
    } catch (CompileException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a CompileException for " + def.selectSql());
  }
}
