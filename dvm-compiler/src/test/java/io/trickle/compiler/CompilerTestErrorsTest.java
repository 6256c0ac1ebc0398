package io.trickle.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.trickle.compiler.plan.SqlPos;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Queries the compiler must refuse, each with a message naming the construct and where it is. */
class CompilerTestErrorsTest {
  private static CompilerTestDatabase db;

  @BeforeAll
  static void start() throws Exception {
    db = new CompilerTestDatabase();
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
  }

  static Stream<Arguments> rejected() {
    return Stream.of(
        Arguments.of("select id frm orders",
            "line 1, column 15: PostgreSQL rejects the query: syntax error at or near \"orders\""),
        Arguments.of("select id from nosuch",
            "line 1, column 16: PostgreSQL rejects the query: relation \"nosuch\" does not exist"),
        Arguments.of("select nosuch from orders",
            "line 1, column 8: PostgreSQL rejects the query: column \"nosuch\" does not exist"),
        Arguments.of("select id, count(*) over (order by tstz range between interval '1' day"
            + " preceding and current row) as c from orders",
            "line 1, column 8: a RANGE frame with an offset over a timestamptz ORDER BY"),
        Arguments.of("select id, random() as r from orders",
            "line 1, column 12: random() is volatile (pg_proc.provolatile = 'v'): its result can"
                + " change on every evaluation, so a stream table could never equal its query"),
        Arguments.of("select id from orders where amount > random()",
            "line 1, column 38: random() is volatile"),
        Arguments.of("select id, now() as t from orders",
            "line 1, column 12: now() is stable (pg_proc.provolatile = 's')"),
        Arguments.of("select * from events",
            "line 1, column 15: table public.events has no primary key and REPLICA IDENTITY is not"
                + " FULL, so deletes and updates cannot be captured; add a primary key or run ALTER"
                + " TABLE public.events REPLICA IDENTITY FULL"),
        Arguments.of("select id, customer_id as id from orders",
            "line 1, column 12: output column id appears twice; give each column a distinct alias"),
        Arguments.of("select id, count(*), count(*) from orders group by id",
            "line 1, column 22: output column count appears twice; give each column a distinct"
                + " alias"),
        Arguments.of("select id, raw from raw_payloads",
            "line 1, column 12: column raw has type json, which is not supported yet"),
        Arguments.of("select id from raw_payloads where raw is not null",
            "line 1, column 35: column raw has type json, which is not supported yet"),
        Arguments.of("select id from payloads where doc > '{}'",
            "line 1, column 31: ordering jsonb values (>) is not supported"),
        Arguments.of("select id from payloads\nwhere doc ? 'kind'",
            "line 2, column 11: the jsonb operator ? is not supported yet"),
        Arguments.of("select id, doc -> 1 + 1 as e from payloads",
            "line 1, column 12: the jsonb operator -> next to arithmetic"),
        Arguments.of("select id, md5(name) as u from customers",
            "line 1, column 12: function md5() is not supported yet"),
        Arguments.of("select id, placed + interval '1' month as due from orders"
            + " where placed < current_date",
            "line 1, column 65: current_date is not allowed in a stream table: it is stable"),
        Arguments.of("select id, age(ts) as a from orders",
            "line 1, column 12: age() is stable (pg_proc.provolatile = 's')"),
        Arguments.of("select id, power(score, 2) as p from orders",
            "line 1, column 12: function power() is not supported yet"),
        Arguments.of("select mode() within group (order by qty) as m from orders",
            "line 1, column 8: function mode() is not supported yet"),
        Arguments.of("select id from orders o where exists (select 1 from customers c where c.id = o.customer_id limit 1)",
            "line 1, column 98: LIMIT/OFFSET inside an EXISTS or IN subquery is not supported yet"),
        Arguments.of("select id, name similar to 'x' as s from customers",
            "line 1, column 12: operator SIMILAR TO is not supported yet"),
        Arguments.of("select id, tstz + interval '1 day' as t from orders",
            "line 1, column 12: operator + (timestamptz_pl_interval) is stable"),
        Arguments.of("with recursive x(n) as (select id from products union all select n + 1 from x"
            + " where n < 3) select n from x",
            "line 1, column 16: WITH RECURSIVE is not supported"),
        Arguments.of("select 1 as one",
            "line 1, column 1: a query without FROM is not supported"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void rejectsWithAClearMessage(String sql, String message) {
    assertThatThrownBy(() -> db.compile(sql))
        .isInstanceOf(CompileException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void positionsAreRelativeToTheDefinitionsFile() {
    CompileException e = catchThrowableOfType(CompileException.class, () -> db.compileFile("""
        -- a stream table
        CREATE STREAM TABLE t AS
          SELECT o.id
          FROM orders o
          WHERE EXISTS (SELECT 1 FROM customers c LIMIT 1);
        """));
    assertThat(e.pos()).isEqualTo(new SqlPos(5, 49));
    assertThat(e.getMessage()).startsWith("line 5, column 49: LIMIT/OFFSET inside an EXISTS");
  }

  @Test
  void postgresErrorPositionsAreRelativeToTheDefinitionsFile() {
    CompileException e = catchThrowableOfType(CompileException.class, () -> db.compileFile("""
        CREATE STREAM TABLE t AS SELECT id,
                 nosuch
          FROM orders
        """));
    assertThat(e.getMessage()).isEqualTo(
        "line 2, column 10: PostgreSQL rejects the query: column \"nosuch\" does not exist");
  }

  @Test
  void validationLeavesNothingBehind() throws Exception {
    assertThatThrownBy(() -> db.compile("select id, random() as r from orders"))
        .isInstanceOf(CompileException.class);
    db.compile("select id from orders");
    try (Statement st = db.connection().createStatement();
        ResultSet rs = st.executeQuery(
            "select count(*) from pg_class where relname = '__trickle_check'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("the check view is rolled back").isZero();
    }
    assertThat(db.connection().getAutoCommit()).as("autocommit restored").isTrue();
  }
}
