package io.trickle.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps docs/sql-reference.md true: every row's example is compiled against the test schema;
 * rows marked supported (or "compiles; runtime pending") must compile, "not yet" rows must be
 * rejected with a message fit for a user.
 */
class SqlReferenceTest {
  /** Maven runs tests with the module directory as the working directory. */
  static final Path DOC = Path.of("../docs/sql-reference.md");
  private static final Pattern JAVA_NAME =
      Pattern.compile("(org\\.apache|io\\.trickle|java\\.|javax\\.|Exception\\b|\\bat [a-z]+\\.)");

  record Row(String construct, String status, String operator, String cost, String example) {
    @Override
    public String toString() {
      return construct + " [" + status + "]";
    }
  }

  private static CompilerTestDatabase db;

  @BeforeAll
  static void start() throws Exception {
    db = new CompilerTestDatabase();
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
  }

  static List<Row> rows() throws IOException {
    List<Row> rows = new ArrayList<>();
    boolean inTable = false;
    for (String line : Files.readAllLines(DOC)) {
      if (!line.startsWith("|")) {
        inTable = false;
        continue;
      }
      if (line.startsWith("| Construct")) {
        inTable = true;
        continue;
      }
      if (!inTable || line.startsWith("|---")) {
        continue;
      }
      String[] cells = line.substring(1, line.length() - 1).split("(?<!\\\\)\\|", -1);
      assertThat(cells).as("cells of %s", line).hasSize(5);
      rows.add(new Row(cell(cells[0]), cell(cells[1]), cell(cells[2]), cell(cells[3]),
          sql(cells[4])));
    }
    return rows;
  }

  private static String cell(String s) {
    return s.replace("\\|", "|").trim();
  }

  private static String sql(String s) {
    String c = cell(s);
    return c.startsWith("`") && c.endsWith("`") ? c.substring(1, c.length() - 1) : c;
  }

  static Stream<Row> supportedRows() throws IOException {
    return rows().stream().filter(r -> !r.status().equals("not yet"));
  }

  static Stream<Row> unsupportedRows() throws IOException {
    return rows().stream().filter(r -> r.status().equals("not yet"));
  }

  @Test
  void theTableIsComplete() throws IOException {
    List<Row> rows = rows();
    assertThat(rows).as("rows of %s", DOC.toAbsolutePath()).hasSizeGreaterThan(40);
    for (Row r : rows) {
      assertThat(r.status()).as("status of %s", r.construct())
          .isIn("supported", "not yet", "compiles; runtime pending");
      assertThat(r.example()).as("example of %s", r.construct()).matches("(?is)(select|with) .*");
      if (r.status().equals("supported")) {
        assertThat(r.operator()).as("operator of %s", r.construct()).isNotEmpty();
        assertThat(r.cost()).as("cost of %s", r.construct()).isNotEmpty();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("supportedRows")
  void supportedExamplesCompile(Row row) {
    assertThatCode(() -> db.compile(row.example())).as(row.example()).doesNotThrowAnyException();
    // A row documenting a query PostgreSQL does not determine says so ("with a warning").
    List<String> warnings = db.compile(row.example()).warnings();
    if (row.operator().contains("with a warning")) {
      assertThat(warnings).as("warnings of %s", row.example()).isNotEmpty();
    } else {
      assertThat(warnings).as("warnings of %s", row.example()).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unsupportedRows")
  void unsupportedExamplesAreRejectedPlainly(Row row) {
    CompileException e = null;
    try {
      db.compile(row.example());
    } catch (CompileException thrown) {
      e = thrown;
    }
    assertThat(e).as("%s should be rejected", row.example()).isNotNull();
    assertThat(e.getMessage()).as("message for %s", row.example())
        .startsWith("line 1, column ")
        .doesNotContain("\n")
        .doesNotContain("syntax error")
        .doesNotContainPattern(JAVA_NAME);
  }
}
