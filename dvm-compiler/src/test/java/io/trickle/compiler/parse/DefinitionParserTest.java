package io.trickle.compiler.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trickle.compiler.CompileException;
import io.trickle.compiler.plan.SqlPos;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefinitionParserTest {

  @Test
  void parsesNameOptionsAndQueryWithItsPosition() {
    String file = """
        -- revenue per customer
        create Stream TABLE Revenue
          WITH (refresh_mode = 'incremental', "Note" = 'it''s fine', partitions = 4)
        AS
          SELECT c.name, sum(o.amount) -- trailing comment
          FROM customers c JOIN orders o ON o.customer_id = c.id
          GROUP BY c.name;
        -- done
        """;
    StreamTableDefinition def = DefinitionParser.parse(file);

    assertThat(def.name()).as("unquoted names fold to lower case").isEqualTo("revenue");
    assertThat(def.options()).isEqualTo(Map.of(
        "refresh_mode", "incremental", "Note", "it's fine", "partitions", "4"));
    assertThat(def.selectSql()).startsWith("SELECT c.name").endsWith("GROUP BY c.name")
        .as("the ; is not part of the query").doesNotContain(";");
    assertThat(def.start()).isEqualTo(new SqlPos(5, 3));
    assertThat(def.filePos(2, 8)).as("second query line, column 8").isEqualTo(new SqlPos(6, 8));
    assertThat(def.filePos(1, 8)).as("first query line is offset by the AS indent")
        .isEqualTo(new SqlPos(5, 10));
  }

  @Test
  void semicolonIsOptionalAndSemicolonsInStringsAreKept() {
    StreamTableDefinition def = DefinitionParser.parse(
        "CREATE STREAM TABLE t AS SELECT ';' AS s, \"a;b\" FROM x -- note\n");
    assertThat(def.selectSql()).isEqualTo("SELECT ';' AS s, \"a;b\" FROM x");
    assertThat(def.options()).isEmpty();
    assertThat(def.start()).isEqualTo(new SqlPos(1, 26));
  }

  @Test
  void quotedNameKeepsCase() {
    assertThat(DefinitionParser.parse("create stream table \"MyTable\" as select 1").name())
        .isEqualTo("MyTable");
  }

  @Test
  void missingKeywordNamesWhatWasExpected() {
    assertThatThrownBy(() -> DefinitionParser.parse("CREATE TABLE t AS SELECT 1"))
        .isInstanceOf(CompileException.class)
        .hasMessage("line 1, column 8: expected STREAM after CREATE, but found 'TABLE'");
  }

  @Test
  void missingAs() {
    assertThatThrownBy(() -> DefinitionParser.parse("CREATE STREAM TABLE t\nSELECT 1"))
        .hasMessage("line 2, column 1: expected AS after the stream table name, but found"
            + " 'SELECT'");
  }

  @Test
  void missingQuery() {
    assertThatThrownBy(() -> DefinitionParser.parse("CREATE STREAM TABLE t AS ;"))
        .hasMessage("line 1, column 26: expected a SELECT query after AS");
  }

  @Test
  void badOptionList() {
    assertThatThrownBy(() -> DefinitionParser.parse(
        "CREATE STREAM TABLE t WITH (a = 'x' b = 'y') AS SELECT 1"))
        .hasMessage("line 1, column 37: expected , or ) in the WITH option list, but found 'b'");
    assertThatThrownBy(() -> DefinitionParser.parse(
        "CREATE STREAM TABLE t WITH (a = 'x', a = 'y') AS SELECT 1"))
        .hasMessage("line 1, column 38: option a is given twice");
  }

  @Test
  void onlyOneStatementPerFile() {
    assertThatThrownBy(() -> DefinitionParser.parse(
        "CREATE STREAM TABLE t AS SELECT 1;\nCREATE STREAM TABLE u AS SELECT 2;"))
        .hasMessageStartingWith("line 2, column 1: expected the end of the file after ';'");
  }

  @Test
  void emptyFile() {
    assertThatThrownBy(() -> DefinitionParser.parse("  -- nothing\n"))
        .hasMessage("line 2, column 1: expected CREATE at the start of the definition, but the file"
            + " ends");
  }

  @Test
  void escapeStringsDollarQuotesAndNestedCommentsDoNotEndTheQuery() {
    assertThat(DefinitionParser.parse("CREATE STREAM TABLE t AS SELECT E'it\\'s;' AS a,"
        + " $q$;$q$ AS b /* ; /* ; */ ; */ FROM x;").selectSql())
        .isEqualTo("SELECT E'it\\'s;' AS a, $q$;$q$ AS b /* ; /* ; */ ; */ FROM x");
    assertThatThrownBy(() -> DefinitionParser.parse("CREATE STREAM TABLE t AS SELECT E'\\''; DROP TABLE v; --'"))
        .as("the ; right after E'\\'' ends the query, so the rest is a second statement")
        .isInstanceOf(CompileException.class).hasMessageContaining("end of the file after ';'");
    assertThatThrownBy(() -> DefinitionParser.parse("CREATE STREAM TABLE t AS SELECT $a$ x"))
        .isInstanceOf(CompileException.class).hasMessageContaining("unterminated dollar-quoted string");
  }

  @Test
  void namesPostgresWouldCutOrCannotHoldAreRejected() {
    assertThat(DefinitionParser.parse("create stream table \"x; DROP TABLE victim; --\" as select 1").name())
        .as("any printable name is a name: it is quoted wherever it goes into SQL")
        .isEqualTo("x; DROP TABLE victim; --");
    assertThatThrownBy(() -> DefinitionParser.parse("create stream table \"" + "n".repeat(64) + "\" as select 1"))
        .isInstanceOf(CompileException.class).hasMessageContaining("at most 63 bytes");
    assertThatThrownBy(() -> DefinitionParser.parse("create stream table \"a\nb\" as select 1"))
        .isInstanceOf(CompileException.class).hasMessageContaining("control characters");
  }
}
