package io.trickle.topology;

import static io.trickle.topology.Harness.row;
import static io.trickle.topology.Plans.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.compiler.expr.Expr;
import io.trickle.compiler.expr.Operator;
import io.trickle.compiler.plan.ColumnType;
import io.trickle.compiler.plan.JoinOp;
import io.trickle.compiler.plan.JoinOp.JoinKind;
import io.trickle.compiler.plan.MaterializeOp;
import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.RowKey;
import io.trickle.compiler.plan.SourceOp;
import io.trickle.compiler.plan.SqlPos;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Exact deltas of outer, semi and anti joins and of joins without an equality: every stateful
 * path with insert, update (old → new) and delete on both sides, NULL keys and a residual.
 * Outer joins are keyed by row hash, so output is rendered as {@code + row} / {@code - row}
 * (the row a tombstone removes) instead of by key.
 */
class OuterSemiAntiJoinTest {
  static final SourceOp L = Plans.source(1, "l", col("id", Plans.INT), col("k", Plans.INT),
      col("v", Plans.INT));
  static final SourceOp R = Plans.source(2, "r", col("rid", Plans.INT), col("rk", Plans.INT),
      col("w", Plans.INT));
  static final Expr V_LESS_THAN_W = new Expr.Call(Operator.LESS_THAN,
      List.of(new Expr.ColumnRef(2, Plans.INT), new Expr.ColumnRef(5, Plans.INT)),
      ColumnType.of(ColumnType.Kind.BOOLEAN));

  static Plan plan(JoinKind kind, boolean equi, Expr residual) {
    RowKey key = switch (kind) {
      case INNER -> RowKey.of(List.of(0, 3));
      case SEMI, ANTI -> RowKey.of(List.of(0));
      default -> RowKey.ROW_HASH;
    };
    JoinOp join = new JoinOp(3, SqlPos.UNKNOWN, kind, L, R, equi ? List.of(1) : List.of(),
        equi ? List.of(1) : List.of(), residual,
        kind.leftOnly() ? L.columns() : Plans.concat(L.columns(), R.columns()), key);
    return new Plan("lr", "…", new MaterializeOp(4, SqlPos.UNKNOWN, join, "lr"));
  }

  /** Renders output records as {@code + value} and {@code - removed value}, markers dropped. */
  static final class Changes {
    private final Map<String, String> current = new HashMap<>();

    List<String> of(Harness h) {
      List<String> out = new ArrayList<>();
      for (TestRecord<byte[], byte[]> r : h.drainRecords()) {
        if (Harness.header(r, "trickle.marker") != null) {
          continue;
        }
        String key = new String(r.key(), StandardCharsets.UTF_8);
        if (r.value() == null) {
          out.add("- " + current.remove(key));
        } else {
          String v = new String(r.value(), StandardCharsets.UTF_8);
          String old = current.put(key, v);
          out.add(old == null ? "+ " + v : "- " + old + " + " + v);
        }
      }
      return out;
    }
  }

  private static String lr(Integer id, Integer k, Integer v, Integer rid, Integer rk, Integer w) {
    return "{\"id\":" + id + ",\"k\":" + k + ",\"v\":" + v + ",\"rid\":" + rid + ",\"rk\":" + rk
        + ",\"w\":" + w + "}";
  }

  @Test
  void leftJoinPadsUntilTheFirstMatchAndAfterTheLastOne() {
    Changes c = new Changes();
    try (Harness h = new Harness(plan(JoinKind.LEFT, true, null))) {
      h.insert("l", row("id", 1, "k", 10, "v", 0));
      assertThat(c.of(h)).as("no match: padded").containsExactly("+ " + lr(1, 10, 0, null, null, null));

      h.insert("r", row("rid", 5, "rk", 10, "w", 1));
      assertThat(c.of(h)).as("first match retracts the padding").containsExactlyInAnyOrder(
          "- " + lr(1, 10, 0, null, null, null), "+ " + lr(1, 10, 0, 5, 10, 1));

      h.insert("r", row("rid", 6, "rk", 10, "w", 2));
      assertThat(c.of(h)).as("a second match only adds its pair")
          .containsExactly("+ " + lr(1, 10, 0, 6, 10, 2));

      h.update("r", row("rid", 5, "rk", 10, "w", 3));
      assertThat(c.of(h)).as("right update rewrites the pair, no padding").containsExactlyInAnyOrder(
          "- " + lr(1, 10, 0, 5, 10, 1), "+ " + lr(1, 10, 0, 5, 10, 3));

      h.delete("r", row("rid", 5));
      assertThat(c.of(h)).containsExactly("- " + lr(1, 10, 0, 5, 10, 3));

      h.update("r", row("rid", 6, "rk", 11, "w", 2));
      assertThat(c.of(h)).as("the last match leaves: padded again").containsExactlyInAnyOrder(
          "- " + lr(1, 10, 0, 6, 10, 2), "+ " + lr(1, 10, 0, null, null, null));

      h.update("l", row("id", 1, "k", 11, "v", 0));
      assertThat(c.of(h)).as("left update moves to the other key").containsExactlyInAnyOrder(
          "- " + lr(1, 10, 0, null, null, null), "+ " + lr(1, 11, 0, 6, 11, 2));

      h.update("l", row("id", 1, "k", null, "v", 0));
      assertThat(c.of(h)).as("a NULL key never matches").containsExactlyInAnyOrder(
          "- " + lr(1, 11, 0, 6, 11, 2), "+ " + lr(1, null, 0, null, null, null));
      h.insert("r", row("rid", 7, "rk", null, "w", 0));
      assertThat(c.of(h)).as("not even a NULL right key").isEmpty();

      h.delete("l", row("id", 1));
      assertThat(c.of(h)).containsExactly("- " + lr(1, null, 0, null, null, null));
    }
  }

  @Test
  void residualIsPartOfTheMatchPerLeftRow() {
    Changes c = new Changes();
    try (Harness h = new Harness(plan(JoinKind.LEFT, true, V_LESS_THAN_W))) {
      h.begin().insert("l", row("id", 1, "k", 10, "v", 1)).insert("l", row("id", 2, "k", 10, "v", 5))
          .insert("r", row("rid", 5, "rk", 10, "w", 3)).end();
      assertThat(c.of(h)).as("same key, but only row 1 passes v < w").containsExactlyInAnyOrder(
          "+ " + lr(1, 10, 1, 5, 10, 3), "+ " + lr(2, 10, 5, null, null, null));

      h.update("r", row("rid", 5, "rk", 10, "w", 9));
      assertThat(c.of(h)).as("now both pass").containsExactlyInAnyOrder(
          "- " + lr(1, 10, 1, 5, 10, 3), "+ " + lr(1, 10, 1, 5, 10, 9),
          "- " + lr(2, 10, 5, null, null, null), "+ " + lr(2, 10, 5, 5, 10, 9));

      h.update("r", row("rid", 5, "rk", 10, "w", null));
      assertThat(c.of(h)).as("v < NULL is unknown: both padded").containsExactlyInAnyOrder(
          "- " + lr(1, 10, 1, 5, 10, 9), "+ " + lr(1, 10, 1, null, null, null),
          "- " + lr(2, 10, 5, 5, 10, 9), "+ " + lr(2, 10, 5, null, null, null));
    }
  }

  @Test
  void fullJoinPadsBothSides() {
    Changes c = new Changes();
    try (Harness h = new Harness(plan(JoinKind.FULL, true, null))) {
      h.insert("r", row("rid", 5, "rk", 10, "w", 1));
      assertThat(c.of(h)).containsExactly("+ " + lr(null, null, null, 5, 10, 1));
      h.insert("l", row("id", 1, "k", 10, "v", 0));
      assertThat(c.of(h)).as("the left row retracts the right padding").containsExactlyInAnyOrder(
          "- " + lr(null, null, null, 5, 10, 1), "+ " + lr(1, 10, 0, 5, 10, 1));
      h.update("l", row("id", 1, "k", 12, "v", 0));
      assertThat(c.of(h)).as("moving away pads both").containsExactlyInAnyOrder(
          "- " + lr(1, 10, 0, 5, 10, 1), "+ " + lr(null, null, null, 5, 10, 1),
          "+ " + lr(1, 12, 0, null, null, null));
      h.delete("r", row("rid", 5));
      assertThat(c.of(h)).containsExactly("- " + lr(null, null, null, 5, 10, 1));
    }
  }

  @Test
  void semiJoinEmitsEachLeftRowOnceWhileItHasAMatch() {
    try (Harness h = new Harness(plan(JoinKind.SEMI, true, null))) {
      h.insert("l", row("id", 1, "k", 10, "v", 0));
      h.insert("r", row("rid", 5, "rk", 10, "w", 1)).insert("r", row("rid", 6, "rk", 10, "w", 2));
      assertThat(h.drain()).filteredOn(s -> !s.startsWith("marker")).as("two matches, one row")
          .containsExactly("{\"id\":1} -> {\"id\":1,\"k\":10,\"v\":0}");
      h.update("l", row("id", 1, "k", 10, "v", 7));
      assertThat(h.drain()).first().isEqualTo("{\"id\":1} -> {\"id\":1,\"k\":10,\"v\":7}");
      h.delete("r", row("rid", 5));
      assertThat(h.drain()).filteredOn(s -> !s.startsWith("marker")).as("one match left").isEmpty();
      h.update("r", row("rid", 6, "rk", 11, "w", 2));
      assertThat(h.drain()).first().isEqualTo("{\"id\":1} -> null");
    }
  }

  @Test
  void antiJoinEmitsLeftRowsWithoutAMatch() {
    try (Harness h = new Harness(plan(JoinKind.ANTI, true, V_LESS_THAN_W))) {
      h.insert("l", row("id", 1, "k", 10, "v", 0)).insert("l", row("id", 2, "k", null, "v", 0));
      assertThat(h.drain()).filteredOn(s -> !s.startsWith("marker")).containsExactly(
          "{\"id\":1} -> {\"id\":1,\"k\":10,\"v\":0}", "{\"id\":2} -> {\"id\":2,\"k\":null,\"v\":0}");
      h.insert("r", row("rid", 5, "rk", 10, "w", 0));
      assertThat(h.drain()).filteredOn(s -> !s.startsWith("marker")).as("0 < 0 fails").isEmpty();
      h.update("r", row("rid", 5, "rk", 10, "w", 1));
      assertThat(h.drain()).first().isEqualTo("{\"id\":1} -> null");
      h.delete("r", row("rid", 5));
      assertThat(h.drain()).first().isEqualTo("{\"id\":1} -> {\"id\":1,\"k\":10,\"v\":0}");
    }
  }

  @Test
  void aJoinWithoutEqualityPutsAllRowsInOneGroup() {
    try (Harness h = new Harness(plan(JoinKind.INNER, false, V_LESS_THAN_W))) {
      h.insert("l", row("id", 1, "k", 10, "v", 0)).insert("r", row("rid", 5, "rk", 99, "w", 1));
      assertThat(h.drain()).filteredOn(s -> !s.startsWith("marker")).containsExactly(
          "{\"id\":1,\"rid\":5} -> {\"id\":1,\"k\":10,\"v\":0,\"rid\":5,\"rk\":99,\"w\":1}");
      h.update("l", row("id", 1, "k", null, "v", 0));
      assertThat(h.drain()).filteredOn(s -> !s.startsWith("marker")).as("k is not a join key here")
          .containsExactly("{\"id\":1,\"rid\":5} -> {\"id\":1,\"k\":null,\"v\":0,\"rid\":5,\"rk\":99,\"w\":1}");
      h.update("r", row("rid", 5, "rk", 99, "w", 0));
      assertThat(h.drain()).first().isEqualTo("{\"id\":1,\"rid\":5} -> null");
    }
  }
}
