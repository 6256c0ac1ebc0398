package io.trickle.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.compiler.plan.Plan;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Queries whose result PostgreSQL does not determine compile with a warning that says which
 * rule trickle applies and how to make the query deterministic (docs/sql-reference.md,
 * "Nondeterministic queries"); determined ones compile without. Before, all compiled silently.
 */
class NondeterminismCompileTest {
  private static CompilerTestDatabase db;

  @BeforeAll
  static void start() throws Exception {
    db = new CompilerTestDatabase();
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
  }

  static Stream<Arguments> undetermined() {
    return Stream.of(
        Arguments.of("select id, (select name from products limit 1) as p from orders",
            "LIMIT/OFFSET has no ORDER BY, so it does not decide which rows it keeps:"
                + " PostgreSQL may return any of them, and trickle keeps the rows whose encoding"
                + " sorts first among rows that tie on every ORDER BY key; to make it"
                + " deterministic, add columns that are unique together, such as the table's"
                + " primary key, to the ORDER BY"),
        Arguments.of("select id, amount from orders limit 10 offset 5",
            "LIMIT/OFFSET has no ORDER BY"),
        Arguments.of("select id, amount from orders order by amount desc limit 10",
            "LIMIT/OFFSET does not decide which rows it keeps when rows tie on amount:"),
        Arguments.of("select distinct on (customer_id) customer_id, id from orders",
            "a DISTINCT ON or ROW_NUMBER() top-k filter has no ORDER BY"),
        Arguments.of("select distinct on (customer_id) customer_id, id from orders"
                + " order by customer_id, amount",
            "a DISTINCT ON or ROW_NUMBER() top-k filter does not decide which rows it keeps when"
                + " rows tie on amount"),
        Arguments.of("select id from (select id, row_number() over (partition by customer_id"
                + " order by qty) as rn from orders) x where rn <= 2",
            "add a unique column such as id to the ORDER BY"),
        Arguments.of("select customer_id, array_agg(id order by qty) as ids from orders"
                + " group by customer_id",
            "array_agg(id) does not decide the order of elements that tie on qty: PostgreSQL may"
                + " return them in any order, and trickle orders tied elements by value; to make"
                + " it deterministic, add array_agg's argument or a unique column such as id to"
                + " its ORDER BY"),
        Arguments.of("select region, string_agg(name, ', ') as names from customers group by"
                + " region",
            "string_agg(name) has no ORDER BY, so the order of its elements is not decided"),
        Arguments.of("select id, row_number() over (partition by customer_id order by qty) as rn"
                + " from orders",
            "row_number() OVER depends on the order of rows that tie on qty: PostgreSQL may order"
                + " them either way, and trickle orders tied rows by their encoding; to make it"
                + " deterministic, add a unique column such as id to the window's ORDER BY"),
        Arguments.of("select id, sum(qty) over (order by placed rows between 1 preceding and"
                + " current row) as s from orders",
            "sum() OVER depends on the order of rows that tie on placed"),
        Arguments.of("select id, lag(amount) over (partition by customer_id) as prev from orders",
            "lag() OVER has no ORDER BY in its window"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("undetermined")
  void undeterminedResultsCompileWithAWarning(String select, String warning) {
    Plan plan = db.compile(select);

    assertThat(plan.warnings()).as(select).hasSize(1);
    assertThat(plan.warnings().get(0)).as(select).startsWith("line ").contains(warning);
  }

  static Stream<String> determined() {
    return Stream.of(
        "select id, amount from orders order by amount desc, id limit 10",
        "select id from orders order by id limit 5 offset 2",
        "select id, (select max(amount) from orders) as m from customers",
        "select id, (select max(amount) from orders limit 1) as m from customers",
        "select distinct on (customer_id) customer_id, id from orders order by customer_id, id",
        "select customer_id, array_agg(id order by qty, id) as ids from orders group by customer_id",
        "select customer_id, array_agg(qty order by qty) as qs from orders group by customer_id",
        "select region, string_agg(name, ', ' order by name) as names from customers"
            + " group by region",
        "select id, string_agg(name, ',') as n from customers group by id",
        "select customer_id, count(*) as n from orders group by customer_id"
            + " order by n desc, customer_id limit 3",
        "select id, rank() over (order by qty) as r, sum(qty) over (order by placed) as s"
            + " from orders",
        "select id, row_number() over (partition by customer_id order by qty, id) as rn"
            + " from orders",
        "select id, first_value(qty) over (partition by customer_id order by qty) as f"
            + " from orders");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("determined")
  void determinedResultsCompileWithoutWarning(String select) {
    assertThat(db.compile(select).warnings()).as(select).isEmpty();
  }
}
