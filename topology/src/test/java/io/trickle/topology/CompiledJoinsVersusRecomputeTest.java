package io.trickle.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trickle.compiler.StreamTableCompiler;
import io.trickle.compiler.parse.StreamTableDefinition;
import io.trickle.compiler.plan.Plan;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.streams.test.TestRecord;

/**
 * SQL compiled by the real compiler (against an embedded PostgreSQL catalog) and run in the
 * topology: outer joins, cross and non-equi joins, joins on expressions, and EXISTS / NOT EXISTS
 * / IN / NOT IN subqueries, each against recomputation from scratch in plain Java with SQL
 * semantics (NULL never equals anything; {@code x NOT IN (S)} is true only if S is empty, or x is
 * not NULL and S holds neither x nor NULL). Tables: {@code l(id, k, v)} and {@code r(rid, rk, w)}.
 */
class CompiledJoinsVersusRecomputeTest {
  private static EmbeddedPostgres postgres;
  private static Connection connection;

  @BeforeContainer
  static void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    connection = postgres.getPostgresDatabase().getConnection();
    try (Statement st = connection.createStatement()) {
      st.execute("create table l (id int primary key, k int, v int);"
          + " create table r (rid int primary key, rk int, w int)");
    }
  }

  @AfterContainer
  static void stop() throws Exception {
    connection.close();
    postgres.close();
  }

  record Action(String table, int id, boolean delete, boolean truncate, Integer k, Integer v) {}

  @Provide
  Arbitrary<List<List<Action>>> histories() {
    Arbitrary<Action> action = Combinators.combine(
        Arbitraries.of("l", "r"), Arbitraries.integers().between(0, 4),
        Arbitraries.integers().between(0, 19), Arbitraries.integers().between(0, 2).injectNull(0.2),
        Arbitraries.integers().between(-2, 2).injectNull(0.2))
        .as((table, id, dice, k, v) -> new Action(table, id, dice < 6, dice == 19 && id == 0, k, v));
    return action.list().ofMinSize(1).ofMaxSize(4).list().ofMinSize(1).ofMaxSize(25);
  }

  private static boolean eq(Integer a, Integer b) {
    return a != null && a.equals(b);
  }

  private static boolean lt(Integer a, Integer b) {
    return a != null && b != null && a < b;
  }

  /** {@code select id, k, v from l where <pred(l, r-table)>}. */
  private static Map<String, Long> leftWhere(List<Integer[]> ls, List<Integer[]> rs,
      BiPredicate<Integer[], List<Integer[]>> predicate) {
    Map<String, Long> out = new HashMap<>();
    for (Integer[] l : ls) {
      if (predicate.test(l, rs)) {
        out.merge(Harness.JSON.createObjectNode().put("id", l[0]).put("k", l[1]).put("v", l[2])
            .toString(), 1L, Long::sum);
      }
    }
    return out;
  }

  /** {@code select l.id, r.rid from l <left|full> join r on <on>}; NULL ids are padding. */
  private static Map<String, Long> pairs(List<Integer[]> ls, List<Integer[]> rs,
      BiPredicate<Integer[], Integer[]> on, boolean keepLeft, boolean keepRight) {
    Map<String, Long> out = new HashMap<>();
    boolean[] rightMatched = new boolean[rs.size()];
    for (Integer[] l : ls) {
      boolean matched = false;
      for (int i = 0; i < rs.size(); i++) {
        if (on.test(l, rs.get(i))) {
          matched = rightMatched[i] = true;
          out.merge(pair(l[0], rs.get(i)[0]), 1L, Long::sum);
        }
      }
      if (keepLeft && !matched) {
        out.merge(pair(l[0], null), 1L, Long::sum);
      }
    }
    for (int i = 0; i < rs.size(); i++) {
      if (keepRight && !rightMatched[i]) {
        out.merge(pair(null, rs.get(i)[0]), 1L, Long::sum);
      }
    }
    return out;
  }

  private static String pair(Integer id, Integer rid) {
    return Harness.JSON.createObjectNode().put("id", id).put("rid", rid).toString();
  }

  @Property(tries = 12)
  void leftJoinWithResidual(@ForAll("histories") List<List<Action>> epochs) {
    check("select l.id, r.rid from l left join r on l.k = r.rk and l.v < r.w", epochs,
        (ls, rs) -> pairs(ls, rs, (l, r) -> eq(l[1], r[1]) && lt(l[2], r[2]), true, false));
  }

  @Property(tries = 12)
  void rightJoin(@ForAll("histories") List<List<Action>> epochs) {
    check("select l.id, r.rid from l right join r on l.k = r.rk", epochs,
        (ls, rs) -> pairs(ls, rs, (l, r) -> eq(l[1], r[1]), false, true));
  }

  @Property(tries = 12)
  void fullJoinWithResidual(@ForAll("histories") List<List<Action>> epochs) {
    check("select l.id, r.rid from l full join r on l.k = r.rk and l.v < r.w", epochs,
        (ls, rs) -> pairs(ls, rs, (l, r) -> eq(l[1], r[1]) && lt(l[2], r[2]), true, true));
  }

  @Property(tries = 10)
  void crossJoin(@ForAll("histories") List<List<Action>> epochs) {
    check("select l.id, r.rid from l cross join r", epochs,
        (ls, rs) -> pairs(ls, rs, (l, r) -> true, false, false));
  }

  @Property(tries = 10)
  void nonEquiLeftJoin(@ForAll("histories") List<List<Action>> epochs) {
    check("select l.id, r.rid from l left join r on l.v < r.w", epochs,
        (ls, rs) -> pairs(ls, rs, (l, r) -> lt(l[2], r[2]), true, false));
  }

  @Property(tries = 10)
  void joinOnExpression(@ForAll("histories") List<List<Action>> epochs) {
    check("select l.id, r.rid from l join r on l.k + 1 = r.rk", epochs,
        (ls, rs) -> pairs(ls, rs, (l, r) -> l[1] != null && eq(l[1] + 1, r[1]), false, false));
  }

  @Property(tries = 12)
  void correlatedExists(@ForAll("histories") List<List<Action>> epochs) {
    check("select id, k, v from l where exists (select 1 from r where r.rk = l.k)", epochs,
        (ls, rs) -> leftWhere(ls, rs, (l, t) -> t.stream().anyMatch(r -> eq(r[1], l[1]))));
  }

  @Property(tries = 12)
  void correlatedExistsWithNonEquiCorrelation(@ForAll("histories") List<List<Action>> epochs) {
    check("select id, k, v from l where exists (select 1 from r where r.rk = l.k and r.w > l.v)",
        epochs, (ls, rs) -> leftWhere(ls, rs,
            (l, t) -> t.stream().anyMatch(r -> eq(r[1], l[1]) && lt(l[2], r[2]))));
  }

  @Property(tries = 10)
  void uncorrelatedExists(@ForAll("histories") List<List<Action>> epochs) {
    check("select id, k, v from l where exists (select 1 from r where r.w > 0)", epochs,
        (ls, rs) -> leftWhere(ls, rs, (l, t) -> t.stream().anyMatch(r -> lt(0, r[2]))));
  }

  @Property(tries = 12)
  void notExists(@ForAll("histories") List<List<Action>> epochs) {
    check("select id, k, v from l where not exists (select 1 from r where r.rk = l.k)", epochs,
        (ls, rs) -> leftWhere(ls, rs, (l, t) -> t.stream().noneMatch(r -> eq(r[1], l[1]))));
  }

  @Property(tries = 12)
  void inSubquery(@ForAll("histories") List<List<Action>> epochs) {
    check("select id, k, v from l where k in (select rk from r where w is not null)", epochs,
        (ls, rs) -> leftWhere(ls, rs,
            (l, t) -> t.stream().anyMatch(r -> r[2] != null && eq(l[1], r[1]))));
  }

  @Property(tries = 15)
  void notInSubqueryWithNulls(@ForAll("histories") List<List<Action>> epochs) {
    check("select id, k, v from l where k not in (select rk from r)", epochs,
        (ls, rs) -> leftWhere(ls, rs, (l, t) -> notIn(l[1], t.stream().map(r -> r[1]).toList())));
  }

  @Property(tries = 12)
  void correlatedNotIn(@ForAll("histories") List<List<Action>> epochs) {
    check("select id, k, v from l where k not in (select rk from r where r.w = l.v)", epochs,
        (ls, rs) -> leftWhere(ls, rs, (l, t) -> notIn(l[1],
            t.stream().filter(r -> eq(r[2], l[2])).map(r -> r[1]).toList())));
  }

  /** PostgreSQL: true if S is empty; else true only if x is not NULL and S has neither x nor NULL. */
  private static boolean notIn(Integer x, List<Integer> s) {
    if (s.isEmpty()) {
      return true;
    }
    return x != null && !s.contains(null) && !s.contains(x);
  }

  private static Plan compile(String sql) {
    return new StreamTableCompiler().compile(StreamTableDefinition.of("st", sql), connection);
  }

  private static void check(String sql, List<List<Action>> epochs,
      BiFunction<List<Integer[]>, List<Integer[]>, Map<String, Long>> recompute) {
    Plan plan = compile(sql);
    Map<String, Map<Integer, Integer[]>> tables = Map.of("l", new TreeMap<>(), "r", new TreeMap<>());
    Map<String, String> materialized = new HashMap<>();
    try (Harness h = new Harness(plan)) {
      // A first marker before any change, as the end of the snapshot gives in production: a
      // global aggregate (NOT IN's subquery counts) emits its row over empty input at its first
      // marker, and a marker reaching the materialize operator along another path first would
      // close that epoch without the rows the global row joins with.
      h.heartbeat();
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
        Map<String, Long> expected = recompute.apply(new ArrayList<>(tables.get("l").values()),
            new ArrayList<>(tables.get("r").values()));
        assertThat(JoinKindsVersusRecomputeTest.contents(materialized))
            .as("%s after epoch %s of %s; plan:%n%s", sql, epoch, epochs, plan.explain())
            .isEqualTo(expected);
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
