package io.trickle.topology;

import static io.trickle.topology.Harness.row;
import static io.trickle.topology.Plans.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.compiler.plan.MaterializeOp;
import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.SortKey;
import io.trickle.compiler.plan.SourceOp;
import io.trickle.compiler.plan.SqlPos;
import io.trickle.compiler.plan.WindowCall;
import io.trickle.compiler.plan.WindowFrame;
import io.trickle.compiler.plan.WindowOp;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The window operator's exact output under insert, update (within and across partitions) and
 * delete: only the changed partition's rows are re-emitted, and only those whose result changed.
 */
class WindowTest {
  private static final SourceOp W = Plans.source(1, "w", col("id", Plans.INT), col("p", Plans.TEXT),
      col("o", Plans.INT));

  private static Plan plan() {
    WindowOp window = new WindowOp(2, SqlPos.UNKNOWN, W, List.of(1),
        List.of(new SortKey(2, false, false)), List.of(
            new WindowCall(WindowCall.Kind.ROW_NUMBER, -1, 0, null, WindowFrame.DEFAULT,
                Plans.BIGINT, "rn"),
            new WindowCall(WindowCall.Kind.SUM, 2, 0, null, WindowFrame.DEFAULT, Plans.BIGINT,
                "running")));
    return new Plan("ranked", "select *, row_number() over w, sum(o) over w from w"
        + " window w as (partition by p order by o)",
        new MaterializeOp(3, SqlPos.UNKNOWN, window, "ranked"));
  }

  private static String out(int id, String p, Integer o, int rn, Integer running) {
    return "{\"id\":" + id + "} -> {\"id\":" + id + ",\"p\":\"" + p + "\",\"o\":" + o + ",\"rn\":"
        + rn + ",\"running\":" + running + "}";
  }

  private static List<String> data(Harness h) {
    return h.drain().stream().filter(s -> !s.startsWith("marker")).toList();
  }

  @Test
  void insertUpdateAndDeleteTouchOnlyTheirPartition() {
    try (Harness h = new Harness(plan())) {
      h.insert("w", row("id", 1, "p", "a", "o", 20));
      assertThat(data(h)).as("first row").containsExactly(out(1, "a", 20, 1, 20));

      h.insert("w", row("id", 2, "p", "a", "o", 10));
      assertThat(data(h)).as("a row sorting first renumbers the other")
          .containsExactlyInAnyOrder(out(2, "a", 10, 1, 10), out(1, "a", 20, 2, 30));

      h.insert("w", row("id", 3, "p", "b", "o", 5));
      assertThat(data(h)).as("another partition leaves partition a alone")
          .containsExactly(out(3, "b", 5, 1, 5));

      h.insert("w", row("id", 4, "p", "a", "o", 30));
      assertThat(data(h)).as("a row sorting last changes no other row")
          .containsExactly(out(4, "a", 30, 3, 60));

      h.update("w", row("id", 2, "p", "b", "o", 10));
      assertThat(data(h)).as("moving a row to another partition re-evaluates both")
          .containsExactlyInAnyOrder(out(1, "a", 20, 1, 20), out(4, "a", 30, 2, 50),
              out(2, "b", 10, 2, 15));

      h.update("w", row("id", 3, "p", "b", "o", 5));
      assertThat(data(h)).as("an update that changes nothing emits nothing").isEmpty();

      h.delete("w", row("id", 1));
      assertThat(data(h)).as("a delete").containsExactlyInAnyOrder("{\"id\":1} -> null",
          out(4, "a", 30, 1, 30));
    }
  }

  @Test
  void nullsSortLastAndPeersShareTheRunningSum() {
    try (Harness h = new Harness(plan())) {
      h.insert("w", row("id", 1, "p", "a", "o", null));
      h.insert("w", row("id", 2, "p", "a", "o", 7));
      h.insert("w", row("id", 3, "p", "a", "o", 7));
      data(h);
      h.insert("w", row("id", 4, "p", "a", "o", 1));
      assertThat(data(h)).as("peers (o = 7) share the sum of the frame up to the last peer")
          .containsExactlyInAnyOrder(out(4, "a", 1, 1, 1), out(2, "a", 7, 2, 15),
              out(3, "a", 7, 3, 15), out(1, "a", null, 4, 15));
    }
  }
}
