package io.trickle.cli.tpch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The generator's value rules (TPC-H 4.2.3) and the query files, without a database. */
class TpchDataTest {

  @Test
  void everyPartHasFourDistinctSuppliersInRange() {
    for (int suppliers : new int[] {8, 20, 1_000, 10_000}) {
      for (int part = 1; part <= 2_000; part++) {
        int[] s = TpchDomain.suppliersOf(part, suppliers);
        assertThat(Arrays.stream(s).distinct().count()).as("distinct suppliers of part %d of %d", part, suppliers)
            .isEqualTo(4);
        assertThat(Arrays.stream(s).allMatch(k -> k >= 1 && k <= suppliers)).as("suppliers of part %d in 1..%d", part, suppliers).isTrue();
      }
    }
  }

  @Test
  void orderKeysAreSparseAndIncreasing() {
    assertThat(TpchScale.orderKey(0)).isEqualTo(1);
    assertThat(TpchScale.orderKey(7)).isEqualTo(8);
    assertThat(TpchScale.orderKey(8)).as("the 9th key skips to the next block of 32").isEqualTo(33);
  }

  @Test
  void linesFollowTheDateAndFlagRules() {
    TpchScale scale = TpchScale.of(0.002);
    Random r = new Random(1);
    for (long i = 0; i < 2_000; i++) {
      TpchOrder o = TpchOrder.generate(TpchScale.orderKey(i), scale, r, i % 400 == 0);
      assertThat(o.orderDate()).isBetween(TpchDomain.START_DATE, TpchDomain.LAST_ORDER_DATE);
      assertThat(o.custKey() % 3).as("customers with key divisible by 3 have no orders").isNotZero();
      assertThat(o.lines()).hasSizeBetween(1, 7);
      int open = 0;
      for (TpchOrder.Line l : o.lines()) {
        long ship = ChronoUnit.DAYS.between(o.orderDate(), l.shipDate());
        assertThat(ship).as("ship date offset").isBetween(1L, 121L);
        assertThat(l.receiptDate()).isAfter(l.shipDate());
        assertThat(l.returnFlag()).isEqualTo(l.receiptDate().isAfter(TpchDomain.CURRENT_DATE) ? 'N'
            : l.returnFlag() == 'R' ? 'R' : 'A');
        assertThat(l.lineStatus()).isEqualTo(l.shipDate().isAfter(TpchDomain.CURRENT_DATE) ? 'O' : 'F');
        assertThat(TpchDomain.suppliersOf(l.partKey(), scale.suppliers())).as("a partsupp pair").contains(l.suppKey());
        open += l.lineStatus() == 'O' ? 1 : 0;
      }
      assertThat(o.status()).isEqualTo(open == 0 ? 'F' : open == o.lines().size() ? 'O' : 'P');
      if (i % 400 == 0) {
        assertThat(o.lines().stream().mapToInt(TpchOrder.Line::quantity).sum()).as("a large order (Q18)")
            .isGreaterThan(300);
      }
    }
  }

  @Test
  void generationIsDeterministic() {
    TpchScale scale = TpchScale.of(0.01);
    TpchOrder a = TpchOrder.generate(99, scale, new Random(5));
    TpchOrder b = TpchOrder.generate(99, scale, new Random(5));
    assertThat(a).isEqualTo(b);
    assertThat(TpchGenerator.partRow(17, new Random(3))).isEqualTo(TpchGenerator.partRow(17, new Random(3)));
  }

  @Test
  void theQueryFilesAreTheTwentyTwoQueries() throws Exception {
    var queries = TpchQuery.load(Path.of("..", "tpch", "queries"));
    assertThat(queries).extracting(TpchQuery::id).hasSize(22).startsWith("q01").endsWith("q22");
    for (TpchQuery q : queries) {
      assertThat(q.text()).as(q.id()).contains("CREATE STREAM TABLE tpch_" + q.id() + " AS");
    }
    TpchQuery q18 = queries.get(17);
    assertThat(q18.withoutOrderBy()).as("ORDER BY and LIMIT cut, the subquery kept")
        .contains("HAVING").doesNotContain("LIMIT").doesNotContain("o_totalprice DESC")
        .endsWith("o_totalprice;\n");
    assertThat(queries.get(5).withoutOrderBy()).as("Q6 has no ORDER BY").isNull();
  }
}
