package io.trickle.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trickle.compiler.parse.DefinitionParser;
import io.trickle.compiler.parse.StreamTableDefinition;
import io.trickle.compiler.parse.PgValidator;
import io.trickle.compiler.sql.SingleStatement;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Defining queries built to break out of the validator's {@code CREATE TEMP VIEW ... AS <query>}:
 * whatever the text, validation runs one statement, and the user's table {@code victim} survives
 * with its row (issue 9, item 7).
 */
class QueryInjectionTest {
  private static CompilerTestDatabase db;

  static final String[] EVIL = {
      "SELECT E'\\''; COMMIT; DROP TABLE victim; SELECT 1 AS one --'",
      "SELECT 1 AS one; DROP TABLE victim",
      "SELECT 1 AS one; COMMIT; DROP TABLE victim; --",
      "SELECT $$x$$ AS a; DROP TABLE victim; SELECT $$y$$ AS b",
      "SELECT 'a' AS a /* /* nested */ still a comment */; DROP TABLE victim",
      "SELECT U&'\\0041' AS a; DROP TABLE victim",
      "SELECT 1 AS one; ROLLBACK; DROP TABLE victim; COMMIT",
  };

  @BeforeAll
  static void start() throws Exception {
    db = new CompilerTestDatabase();
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
  }

  @BeforeEach
  void victim() throws Exception {
    try (Statement s = db.connection().createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS victim (x int)");
      s.execute("TRUNCATE victim");
      s.execute("INSERT INTO victim VALUES (42)");
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6})
  void validationNeverRunsASecondStatement(int which) throws Exception {
    StreamTableDefinition def = StreamTableDefinition.of("evil_query", EVIL[which]);
    Connection c = db.connection();
    for (boolean autoCommit : new boolean[] {true, false}) {
      c.setAutoCommit(autoCommit);
      try {
        assertThatThrownBy(() -> new StreamTableCompiler().compile(def, c))
            .as("%s (autocommit %s)", EVIL[which], autoCommit)
            .isInstanceOf(CompileException.class);
        if (!autoCommit) {
          c.commit(); // whatever the validator left in the caller's transaction
        }
      } finally {
        c.setAutoCommit(true);
      }
      assertThat(victimRows()).as("victim survives %s (autocommit %s)", EVIL[which], autoCommit)
          .isEqualTo(1);
    }
    assertThat(SingleStatement.isMultiple(EVIL[which])).as("pgjdbc splits %s", EVIL[which]).isTrue();
  }

  @org.junit.jupiter.api.Test
  void theIssuesDefinitionFileIsRejectedBeforeItReachesPostgres() {
    assertThatThrownBy(() -> DefinitionParser.parse("CREATE STREAM TABLE evil_query AS SELECT E'\\'';"
        + " COMMIT; DROP TABLE victim; SELECT 1 AS one --';"))
        .isInstanceOf(CompileException.class)
        .hasMessageContaining("expected the end of the file after ';'");
  }

  @org.junit.jupiter.api.Test
  void semicolonsInsideLiteralsAndCommentsAreOneStatement() throws Exception {
    String sql = "SELECT id, E'a\\';b' AS e, $t$;$t$ AS d, 'c;d' AS s /* ; /* ; */ ; */ FROM orders";
    StreamTableDefinition def = DefinitionParser.parse("CREATE STREAM TABLE ok AS " + sql + ";");
    assertThat(def.selectSql()).isEqualTo(sql);
    assertThat(SingleStatement.isMultiple(sql)).isFalse();
    // Calcite's parser does not take E'' and dollar quotes; PostgreSQL's check does.
    assertThat(PgValidator.validate(db.connection(), def, n -> def.start()).columns()).hasSize(4);
    assertThat(victimRows()).isEqualTo(1);
  }

  @org.junit.jupiter.api.Test
  void aBackslashEndingAStringIsOneStatementUnderStandardConformingStrings() throws Exception {
    // Only with standard_conforming_strings = off would 'C:\' swallow the quote after it.
    StreamTableDefinition def = StreamTableDefinition.of("paths", "SELECT 'C:\\' AS path, ';' AS semi");
    assertThat(PgValidator.validate(db.connection(), def, n -> def.start()).columns()).hasSize(2);
  }

  private static int victimRows() throws Exception {
    try (Statement s = db.connection().createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM victim WHERE x = 42")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
