package io.trickle.compiler.rel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DistinctOnScannerTest {
  @Test
  void blanksOnlyTheOnListKeepingLengthAndLines() {
    String sql = "select distinct on (a,\n (b)) a, b from t";
    DistinctOnScanner s = DistinctOnScanner.scan(sql);
    assertThat(s.any()).isTrue();
    assertThat(s.blanked()).isEqualTo("select distinct " + " ".repeat(6) + "\n" + " ".repeat(5)
        + " a, b from t");
    assertThat(s.expressions(s.clauses().get(0))).isEqualTo(" ".repeat(19) + "(a,\n (b))"
        + " ".repeat(12));
  }

  @Test
  void plainDistinctIsListedButNotBlanked() {
    DistinctOnScanner s = DistinctOnScanner.scan("select distinct a from (select distinct on(a) a"
        + " from t) x where exists (SELECT DISTINCT ON (c) c from u)");
    assertThat(s.clauses()).extracting(DistinctOnScanner.Clause::distinctOn)
        .containsExactly(false, true, true);
  }

  @Test
  void skipsLiteralsQuotedIdentifiersAndComments() {
    String sql = "select 'select distinct on (x)', E'\\' select distinct on (', $q$select distinct"
        + " on (y)$q$, \"select distinct on (\" /* /* select distinct on ( */ */ -- select distinct"
        + " on (\n from t";
    DistinctOnScanner s = DistinctOnScanner.scan(sql);
    assertThat(s.clauses()).isEmpty();
    assertThat(s.blanked()).isEqualTo(sql);
  }
}
