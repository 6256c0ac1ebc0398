package io.trickle.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.SetReturningOp;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Set-returning functions in FROM: the operator they become, and what is rejected. */
class SetReturningCompileTest {
  private static CompilerTestDatabase db;

  @BeforeAll
  static void start() throws Exception {
    db = new CompilerTestDatabase();
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
  }

  private static List<SetReturningOp> srfs(Plan plan) {
    return plan.operators().stream().filter(SetReturningOp.class::isInstance)
        .map(SetReturningOp.class::cast).toList();
  }

  @Test
  void generateSeriesInFromIsOneOperatorShownInExplain() {
    Plan plan = db.compile("select s.id, g from series s, generate_series(s.lo, s.hi) g");
    assertThat(srfs(plan)).as("set-returning operators of%n%s", plan.explain()).hasSize(1);
    SetReturningOp op = srfs(plan).get(0);
    assertThat(op.function().columnTypes().get(0).pgType()).as("int4 and int8 resolve to bigint")
        .isEqualTo("bigint");
    assertThat(op.key().unique()).as("source key ++ the series value identify a row").isTrue();
    assertThat(plan.explain()).as("explain").contains("set-returning-")
        .contains("generate_series<bigint>[$1, $2]");
    assertThat(plan.columns().get(1).type().pgType()).as("output type").isEqualTo("bigint");
  }

  @Test
  void lateralSpellingsCompile() {
    for (String sql : List.of(
        "select s.id, g.i from series s cross join lateral generate_series(s.lo, s.hi, 2) g(i)",
        "select s.id, g.i from series s, lateral generate_series(s.lo, s.step) as g(i)",
        "select s.id, g.i from series s join lateral generate_series(s.lo, s.hi) g(i) on true",
        "select s.id, g.i from series s join lateral generate_series(s.lo, s.hi) g(i) on g.i > s.step",
        "select s.id, g from series s, generate_series(1, 3) g where g > s.lo",
        "select s.id, g from series s, generate_series(0.5, s.lo, 0.25) g")) {
      assertThat(srfs(db.compile(sql))).as("operators of %s", sql).hasSize(1);
    }
  }

  @Test
  void withOrdinalityAddsABigintOrdinalAndKeysByIt() {
    Plan plan = db.compile("select s.id, g.i, g.n from series s,\n  lateral generate_series(s.lo,"
        + " s.hi) with ordinality as g(i, n)");
    SetReturningOp op = srfs(plan).get(0);
    assertThat(op.ordinality()).as("ordinality of%n%s", plan.explain()).isTrue();
    assertThat(plan.columns().get(2).type().pgType()).as("ordinal type").isEqualTo("bigint");
    assertThat(op.key().columns()).as("key: the source key ++ the ordinal")
        .containsExactly(0, op.columns().size() - 1);
    assertThat(plan.explain()).as("explain").contains("WITH ORDINALITY");
  }

  @Test
  void leftJoinLateralOnTrueKeepsEmptyRows() {
    Plan plan = db.compile("select s.id, g.i from series s left join lateral"
        + " generate_series(s.lo, s.hi) g(i) on true");
    assertThat(srfs(plan).get(0).outer()).as("outer of%n%s", plan.explain()).isTrue();
  }

  @Test
  void leftJoinLateralWithAConditionIsRejected() {
    assertThatThrownBy(() -> db.compile("select s.id, g.i from series s left join lateral"
        + " generate_series(s.lo, s.hi) g(i) on g.i > s.step"))
        .isInstanceOf(CompileException.class).hasMessageContaining("only with ON true");
  }

  @Test
  void aSeriesWithoutATableIsRejected() {
    assertThatThrownBy(() -> db.compile("select g from generate_series(1, 3) g"))
        .isInstanceOf(CompileException.class).hasMessageContaining("constant relation");
  }
}
