package io.trickle.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.SetReturningOp;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** jsonb and uuid columns, the jsonb operators and functions in the compiler. */
class JsonbUuidCompileTest {
  private static CompilerTestDatabase db;

  @BeforeAll
  static void start() throws Exception {
    db = new CompilerTestDatabase();
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
  }

  @Test
  void columnsKeepTheirPostgresTypes() {
    Plan plan = db.compile("select id, doc, owner, id::text as t from payloads");
    assertThat(plan.columns()).as("columns of%n%s", plan.explain()).extracting(c -> c.type().pgType())
        .containsExactly("uuid", "jsonb", "uuid", "text");
  }

  @Test
  void operatorsAreShownInExplain() {
    Plan plan = db.compile("select id, doc -> 'a' as a, doc->>'b' as b, doc -> -1 as e,"
        + " doc #> '{a,0}' as p, doc #>> '{a}' as pt, jsonb_typeof(doc) as ty,"
        + " jsonb_array_length(doc -> 'xs') as n, (doc ->> 'n')::int as i from payloads"
        + " where doc -> 'k' = '\"x\"' and owner = 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'");
    assertThat(plan.explain()).as("explain")
        .contains("JSONB_GET[$1, 'a']", "JSONB_GET_TEXT[$1, 'b']", "JSONB_GET[$1, -1]",
            "JSONB_PATH[$1, '{a,0}']", "JSONB_PATH_TEXT[$1, '{a}']", "JSONB_TYPEOF[$1]",
            "JSONB_ARRAY_LENGTH[JSONB_GET[$1, 'xs']]",
            "EQUALS[JSONB_GET[$1, 'k'], CAST['\"x\"']]",
            "EQUALS[$2, CAST['A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11']]");
    assertThat(plan.columns()).extracting(c -> c.type().pgType())
        .containsExactly("uuid", "jsonb", "text", "jsonb", "jsonb", "text", "text", "integer",
            "integer");
  }

  @Test
  void operatorsInStringsAndCommentsAreLeftAlone() {
    Plan plan = db.compile("select id, 'a->b' as s /* x -> y */ from payloads -- z #> w\n");
    assertThat(plan.explain()).as("explain").contains("'a->b'").doesNotContain("JSONB_");
  }

  @Test
  void groupingJoiningAndDistinctOnJsonbAndUuid() {
    db.compile("select doc -> 'k' as k, owner, count(*) as c from payloads group by doc -> 'k', owner");
    db.compile("select distinct doc from payloads");
    db.compile("select p.id, q.id as other from payloads p join payloads q on p.owner = q.id");
  }

  @Test
  void jsonbSetReturningFunctionsInFrom() {
    for (String sql : List.of(
        "select p.id, e from payloads p, jsonb_array_elements(p.doc -> 'xs') e",
        "select p.id, e.value from payloads p cross join lateral jsonb_array_elements_text(p.doc) e",
        "select p.id, e.key, e.value from payloads p, jsonb_each(p.doc) e",
        "select p.id, kv.key, kv.value from payloads p left join lateral jsonb_each_text(p.doc) kv on true")) {
      Plan plan = db.compile(sql);
      assertThat(plan.operators()).as("operators of %s%n%s", sql, plan.explain())
          .filteredOn(SetReturningOp.class::isInstance).hasSize(1);
      assertThat(plan.explain()).as("explain of %s", sql).contains("jsonb_");
    }
    Plan plan = db.compile("select p.id, e.key, e.value from payloads p, jsonb_each(p.doc) e");
    assertThat(plan.columns()).extracting(c -> c.type().pgType())
        .containsExactly("uuid", "text", "jsonb");
  }

  @Test
  void orderingJsonbIsRejected() {
    assertThatThrownBy(() -> db.compile("select id from payloads order by doc limit 3"))
        .isInstanceOf(CompileException.class)
        .hasMessageContaining("line 1, column 34: ordering by a jsonb value");
    assertThatThrownBy(() -> db.compile("select id from payloads where doc > '{}'"))
        .isInstanceOf(CompileException.class)
        .hasMessageContaining("ordering jsonb values (>) is not supported");
    assertThatThrownBy(() -> db.compile("select string_agg(id::text, ',' order by doc) as s"
        + " from payloads")).isInstanceOf(CompileException.class)
        .hasMessageContaining("ordering by a jsonb value");
    assertThatThrownBy(() -> db.compile("select id, rank() over (order by doc) as r from payloads"))
        .isInstanceOf(CompileException.class).hasMessageContaining("ordering by a jsonb value");
    db.compile("select count(distinct doc) as n, string_agg(distinct doc::text, ',') as s"
        + " from payloads");
  }

  @Test
  void arithmeticNextToAJsonbOperatorAsksForParentheses() {
    assertThatThrownBy(() -> db.compile("select id, doc -> 1 + 1 as e from payloads"))
        .isInstanceOf(CompileException.class)
        .hasMessageContaining("line 1, column 12: the jsonb operator -> next to arithmetic");
    db.compile("select id, doc -> (1 + 1) as e, (doc ->> 'n')::int + 1 as n from payloads");
  }

  @Test
  void jsonColumnsAreRejected() {
    assertThatThrownBy(() -> db.compile("select id, raw from raw_payloads"))
        .isInstanceOf(CompileException.class)
        .hasMessageContaining("column raw has type json, which is not supported yet");
  }
}
