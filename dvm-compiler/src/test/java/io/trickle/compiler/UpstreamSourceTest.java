package io.trickle.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.compiler.parse.StreamTableDefinition;
import io.trickle.compiler.parse.TableReferences;
import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.SourceOp;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sources that read another stream table's target table are marked with the upstream's name. */
class UpstreamSourceTest {
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
  void aTableNamedAsAStreamTableBecomesAnUpstreamSource() {
    StreamTableDefinition def = StreamTableDefinition.of("st",
        "select o.id, c.name from orders o join customers c on c.id = o.customer_id");
    Plan plan = new StreamTableCompiler().compile(def, db.connection(),
        Map.of("public.customers", "customers_st"));

    assertThat(plan.sources()).extracting(SourceOp::table, SourceOp::upstream)
        .containsExactlyInAnyOrder(org.assertj.core.api.Assertions.tuple("orders", null),
            org.assertj.core.api.Assertions.tuple("customers", "customers_st"));
    assertThat(plan.explain()).as("explain shows where a source reads from")
        .contains("public.customers (stream table customers_st)");
    Plan plain = new StreamTableCompiler().compile(def, db.connection());
    assertThat(plain).as("the upstream is part of the plan's identity").isNotEqualTo(plan);
    assertThat(plain.sources()).allSatisfy(s -> assertThat(s.readsStreamTable()).isFalse());
  }

  @Test
  void tableReferencesFindFromItemsInJoinsAndSubqueries() {
    StreamTableDefinition def = StreamTableDefinition.of("st", "select a.x from a"
        + " join sales.\"B\" b on b.id = a.id where a.id in (select id from c)"
        + " and exists (select 1 from (select * from d) dd where dd.x = a.x)");

    assertThat(TableReferences.of(def)).containsExactlyInAnyOrder("a", "sales.B", "c", "d");
  }
}
