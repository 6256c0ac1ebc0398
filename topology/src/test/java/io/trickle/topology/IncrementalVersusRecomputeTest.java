package io.trickle.topology;

import static io.trickle.topology.Plans.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trickle.compiler.plan.AggCall;
import io.trickle.compiler.plan.AggCall.Kind;
import io.trickle.compiler.plan.AggregateOp;
import io.trickle.compiler.plan.JoinOp;
import io.trickle.compiler.plan.MaterializeOp;
import io.trickle.compiler.plan.Op;
import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.RowKey;
import io.trickle.compiler.plan.SourceOp;
import io.trickle.compiler.plan.SqlPos;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Random change histories over two small tables: after every epoch, the materialized output
 * (output records applied to a map, as the sink does) equals the query recomputed from scratch
 * over the current source contents in plain Java.
 */
class IncrementalVersusRecomputeTest {
  private static final SourceOp L = Plans.source(1, "l", col("id", Plans.INT), col("k", Plans.INT),
      col("v", Plans.INT));
  private static final SourceOp R = Plans.source(2, "r", col("rid", Plans.INT), col("rk", Plans.INT),
      col("w", Plans.INT));

  /** One source change; {@code table} is "l" or "r"; {@code truncate} wins over the rest. */
  record Action(String table, int id, boolean delete, boolean truncate, Integer k, Integer v) {}

  @Provide
  Arbitrary<List<List<Action>>> histories() {
    Arbitrary<Action> action = Combinators.combine(
        Arbitraries.of("l", "r"), Arbitraries.integers().between(0, 4),
        Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 2).injectNull(0.15),
        Arbitraries.integers().between(-3, 3).injectNull(0.15))
        .as((table, id, dice, k, v) -> new Action(table, id, dice < 3, dice == 9 && id == 0, k, v));
    return action.list().ofMinSize(1).ofMaxSize(4).list().ofMinSize(1).ofMaxSize(30);
  }

  @Property(tries = 25)
  void joinMatchesRecompute(@ForAll("histories") List<List<Action>> epochs) {
    JoinOp join = new JoinOp(3, SqlPos.UNKNOWN, L, R, List.of(1), List.of(1), null,
        Plans.concat(L.columns(), R.columns()), RowKey.of(List.of(0, 3)));
    Plan plan = new Plan("lr", "select * from l join r on k = rk",
        new MaterializeOp(4, SqlPos.UNKNOWN, join, "lr"));
    check(plan, epochs, tables -> {
      Map<String, String> expected = new HashMap<>();
      for (Integer[] l : tables.get("l").values()) {
        for (Integer[] r : tables.get("r").values()) {
          if (l[1] != null && l[1].equals(r[1])) {
            ObjectNode key = Harness.JSON.createObjectNode().put("id", l[0]).put("rid", r[0]);
            ObjectNode value = Harness.JSON.createObjectNode().put("id", l[0]).put("k", l[1]).put("v", l[2])
                .put("rid", r[0]).put("rk", r[1]).put("w", r[2]);
            expected.put(key.toString(), value.toString());
          }
        }
      }
      return expected;
    });
  }

  @Property(tries = 25)
  void aggregateWithMinMaxMatchesRecompute(@ForAll("histories") List<List<Action>> epochs) {
    check(aggregatePlan(L), epochs, tables -> aggregate(tables.get("l").values(), 1, 2));
  }

  @Property(tries = 15)
  void aggregateOverJoinMatchesRecompute(@ForAll("histories") List<List<Action>> epochs) {
    // group by r.rk, aggregate l.v over the join l.k = r.rk: a change to r moves whole groups of weights
    JoinOp join = new JoinOp(3, SqlPos.UNKNOWN, L, R, List.of(1), List.of(1), null,
        Plans.concat(L.columns(), R.columns()), RowKey.of(List.of(0, 3)));
    check(aggregatePlan(join, 4, 2), epochs, tables -> {
      List<Integer[]> joined = new ArrayList<>();
      for (Integer[] l : tables.get("l").values()) {
        for (Integer[] r : tables.get("r").values()) {
          if (l[1] != null && l[1].equals(r[1])) {
            joined.add(new Integer[] {l[0], l[1], l[2], r[0], r[1], r[2]});
          }
        }
      }
      return aggregate(joined, 4, 2);
    });
  }

  private static Plan aggregatePlan(Op input) {
    return aggregatePlan(input, 1, 2);
  }

  private static Plan aggregatePlan(Op input, int group, int value) {
    AggregateOp agg = new AggregateOp(5, SqlPos.UNKNOWN, input, List.of(group), List.of(
        new AggCall(Kind.COUNT_STAR, -1, Plans.BIGINT, "cnt"),
        new AggCall(Kind.COUNT, value, Plans.BIGINT, "cnt_v"),
        new AggCall(Kind.SUM, value, Plans.BIGINT, "sum_v"),
        new AggCall(Kind.MIN, value, Plans.INT, "min_v"),
        new AggCall(Kind.MAX, value, Plans.INT, "max_v")),
        List.of(col("g", Plans.INT), col("cnt", Plans.BIGINT), col("cnt_v", Plans.BIGINT),
            col("sum_v", Plans.BIGINT), col("min_v", Plans.INT), col("max_v", Plans.INT)));
    return new Plan("agg", "select g, count(*), count(v), sum(v), min(v), max(v) ... group by g",
        new MaterializeOp(6, SqlPos.UNKNOWN, agg, "agg"));
  }

  /** GROUP BY row[group] (NULL is a group) over row[value], recomputed from scratch. */
  private static Map<String, String> aggregate(Iterable<Integer[]> rows, int group, int value) {
    Map<Integer, List<Integer[]>> groups = new HashMap<>();
    for (Integer[] row : rows) {
      groups.computeIfAbsent(row[group], g -> new ArrayList<>()).add(row);
    }
    Map<String, String> expected = new HashMap<>();
    groups.forEach((g, members) -> {
      List<Integer> values = members.stream().map(r -> r[value]).filter(Objects::nonNull).toList();
      ObjectNode key = Harness.JSON.createObjectNode().put("g", g);
      ObjectNode row = Harness.JSON.createObjectNode().put("g", g).put("cnt", members.size())
          .put("cnt_v", values.size());
      row.put("sum_v", values.isEmpty() ? null : values.stream().mapToLong(Integer::longValue).sum());
      row.put("min_v", values.stream().min(Comparator.naturalOrder()).orElse(null));
      row.put("max_v", values.stream().max(Comparator.naturalOrder()).orElse(null));
      expected.put(key.toString(), row.toString());
    });
    return expected;
  }

  private static void check(Plan plan, List<List<Action>> epochs,
      Function<Map<String, Map<Integer, Integer[]>>, Map<String, String>> recompute) {
    Map<String, Map<Integer, Integer[]>> tables = Map.of("l", new TreeMap<>(), "r", new TreeMap<>());
    Map<String, String> materialized = new HashMap<>();
    try (Harness h = new Harness(plan)) {
      for (List<Action> epoch : epochs) {
        boolean tx = epoch.size() > 1;
        if (tx) {
          h.begin();
        }
        for (Action a : epoch) {
          apply(h, tables.get(a.table()), a);
        }
        if (tx) {
          h.end();
        }
        h.advance(java.time.Duration.ofMillis(100));
        for (TestRecord<byte[], byte[]> r : h.drainRecords()) {
          if (Harness.header(r, "trickle.marker") != null) {
            continue;
          }
          assertThat(Harness.header(r, "trickle.error")).as("no error records").isNull();
          String key = new String(r.key(), StandardCharsets.UTF_8);
          if (r.value() == null) {
            assertThat(materialized.remove(key)).as("tombstone for an existing key " + key).isNotNull();
          } else {
            materialized.put(key, new String(r.value(), StandardCharsets.UTF_8));
          }
        }
        assertThat(materialized).as("after epoch %s of %s", epoch, epochs).isEqualTo(recompute.apply(tables));
      }
    }
  }

  private static void apply(Harness h, Map<Integer, Integer[]> table, Action a) {
    String[] names = a.table().equals("l") ? new String[] {"id", "k", "v"} : new String[] {"rid", "rk", "w"};
    if (a.truncate()) {
      table.clear();
      h.truncate(a.table());
    } else if (a.delete()) {
      if (table.remove(a.id()) != null) {
        h.delete(a.table(), Harness.row(names[0], a.id()));
      }
    } else {
      Map<String, Object> after = Harness.row(names[0], a.id(), names[1], a.k(), names[2], a.v());
      if (table.put(a.id(), new Integer[] {a.id(), a.k(), a.v()}) == null) {
        h.insert(a.table(), after);
      } else {
        h.update(a.table(), after);
      }
    }
  }
}
