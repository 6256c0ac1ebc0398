package io.trickle.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.Plan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** jsonb and uuid columns and the jsonb operators in the compiler. */
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
  void scratch() {
    for (String sql : new String[] {
        "select id, doc, owner from payloads",
        "select id, doc -> 'a' as a, doc ->> 'b' as b, doc->0 as e, doc #> '{a,b}' as p, doc #>> '{a}' as pt from payloads",
        "select id from payloads where doc ->> 'kind' = 'x' and (doc -> 'n')::int > 2",
        "select id, jsonb_typeof(doc) as t, jsonb_array_length(doc -> 'xs') as n from payloads",
        "select doc -> 'k' as k, count(*) as c from payloads group by doc -> 'k'",
        "select id::text as t, '{\"b\":1,\"a\":2}'::jsonb as lit, cast('{\"b\":1}' as jsonb) as c from payloads where owner = 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'",
        "select p.id from payloads p join payloads q on p.owner = q.id",
        "select id from payloads where doc = '{\"a\": 1}'::jsonb",
        "select id from payloads where doc -> 'n' + 1 = 2",
        "select id from payloads order by doc limit 3",
        "select id, raw from raw_payloads",
        "select id from payloads where owner in ('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '{a0eebc999c0b4ef8bb6d6bb9bd380a12}') or doc = '[1, 2]' or id = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid",
    }) {
      try {
        Plan plan = db.compile(sql);
        System.err.println(sql + "\n" + plan.explain());
      } catch (RuntimeException e) {
        System.err.println(sql + "\n  FAILED: " + e);
      }
    }
  }
}
