package io.trickle.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.compiler.StreamTableCompiler;
import io.trickle.compiler.parse.StreamTableDefinition;
import io.trickle.compiler.plan.Plan;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Scalar subqueries, ANY/ALL, CTEs, LATERAL, subqueries in FROM and keyless sources, compiled by
 * the real compiler and run in the topology, against PostgreSQL itself as the recomputation:
 * every epoch is applied to the embedded database in one transaction and the query re-run there.
 * Tables: {@code l(id, k, v)} and {@code r(rid, rk, w)} with primary keys, and {@code d(a, b)}
 * without one, under REPLICA IDENTITY FULL, where duplicate rows are common.
 */
class SubqueriesVersusPostgresTest {
  private static EmbeddedPostgres postgres;
  private static Connection connection;

  @BeforeContainer
  static void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    connection = postgres.getPostgresDatabase().getConnection();
    try (Statement st = connection.createStatement()) {
      st.execute("create table l (id int primary key, k int, v int);"
          + " create table r (rid int primary key, rk int, w int);"
          + " create table d (a int, b int); alter table d replica identity full");
    }
  }

  @AfterContainer
  static void stop() throws Exception {
    connection.close();
    postgres.close();
  }

  /** On d, {@code id} picks which stored row a delete or update hits. */
  record Action(String table, int id, int dice, Integer k, Integer v) {
    boolean delete() {
      return dice < 6;
    }

    boolean truncate() {
      return dice == 19 && id == 0;
    }
  }

  @Provide
  Arbitrary<List<List<Action>>> histories() {
    Arbitrary<Action> action = Combinators.combine(
        Arbitraries.of("l", "r", "r", "d"), Arbitraries.integers().between(0, 4),
        Arbitraries.integers().between(0, 19), Arbitraries.integers().between(0, 2).injectNull(0.15),
        Arbitraries.integers().between(-2, 3).injectNull(0.15))
        .as(Action::new);
    return action.list().ofMinSize(1).ofMaxSize(4).list().ofMinSize(1).ofMaxSize(15);
  }

  // --- scalar subqueries -------------------------------------------------------------------

  @Property(tries = 5)
  void correlatedCountInSelect(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("select id, (select count(*) from r where r.rk = l.k) as n from l", epochs);
  }

  @Property(tries = 5)
  void correlatedSingleValueInSelect(@ForAll("histories") List<List<Action>> epochs)
      throws Exception {
    check("select id, (select w from r where r.rid = l.k) as w from l", epochs);
  }

  @Property(tries = 5)
  void uncorrelatedSingleValueInSelect(@ForAll("histories") List<List<Action>> epochs)
      throws Exception {
    check("select id, (select w from r where r.rid = 2) as w from l", epochs);
  }

  @Property(tries = 5)
  void uncorrelatedAvgInWhere(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("select id, v from l where v > (select avg(w) from r)", epochs);
  }

  /** TPC-H q17's shape. */
  @Property(tries = 5)
  void correlatedAvgInWhere(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("select id from l where v < (select 0.5 * avg(w) from r where r.rk = l.k)", epochs);
  }

  /** TPC-H q11's shape. */
  @Property(tries = 5)
  void uncorrelatedInHaving(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("select k, sum(v) as s from l group by k having sum(v) > (select sum(w) * 0.5 from r)",
        epochs);
  }

  /** TPC-H q02's shape: the minimum per correlation group, joined back. */
  @Property(tries = 5)
  void correlatedMinJoinedBack(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("select l.id, r.rid from l, r where l.k = r.rid"
        + " and r.w = (select min(w) from r r2 where r2.rk = l.id)", epochs);
  }

  /** TPC-H q20's shape: a correlated scalar subquery inside an IN subquery. */
  @Property(tries = 5)
  void scalarInsideIn(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("select id from l where k in (select rk from r"
        + " where w > (select 0.5 * sum(v) from l l2 where l2.k = r.rk))", epochs);
  }

  /** TPC-H q22's shape. */
  @Property(tries = 5)
  void uncorrelatedAvgWithNotExists(@ForAll("histories") List<List<Action>> epochs)
      throws Exception {
    check("select id from l where v > (select avg(v) from l where v > 0)"
        + " and not exists (select 1 from r where r.rk = l.id)", epochs);
  }

  // --- ANY / ALL ---------------------------------------------------------------------------

  @Property(tries = 5)
  void greaterThanAll(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("select id from l where v > all (select w from r)", epochs);
  }

  @Property(tries = 5)
  void notEqualAll(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("select id from l where k <> all (select rk from r)", epochs);
  }

  @Property(tries = 5)
  void equalAny(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("select id from l where k = any (select rk from r where w > 0)", epochs);
  }

  @Property(tries = 5)
  void correlatedLessThanAny(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("select id from l where v < any (select w from r where r.rk = l.k)", epochs);
  }

  /** In the SELECT list the NULL of ALL is visible, not just dropped. */
  @Property(tries = 5)
  void allInSelectKeepsNull(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("select id, v >= all (select w from r where r.rk = l.k) as b from l", epochs);
  }

  @Property(tries = 5)
  void anyInSelectKeepsNull(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("select id, v = any (select w from r) as b from l", epochs);
  }

  // --- WITH, FROM subqueries, LATERAL ------------------------------------------------------

  /** TPC-H q15's shape: a CTE referenced twice. */
  @Property(tries = 5)
  void cteReferencedTwice(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("with t as (select rk, sum(w) as s from r group by rk)"
        + " select rk, s from t where s = (select max(s) from t)", epochs);
  }

  @Property(tries = 5)
  void subqueryInFrom(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("select x.k, x.s, r.rid from (select k, sum(v) as s from l group by k) x"
        + " join r on r.rk = x.k where x.s > 0", epochs);
  }

  @Property(tries = 5)
  void lateralAggregate(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("select l.id, x.n, x.m from l,"
        + " lateral (select count(*) as n, max(w) as m from r where r.rk = l.k) x", epochs);
  }

  @Property(tries = 5)
  void leftJoinLateral(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("select l.id, x.w from l left join lateral (select w from r where r.rk = l.k and"
        + " r.w > l.v) x on true", epochs);
  }

  // --- set-returning functions in FROM ----------------------------------------------------

  @Property(tries = 5)
  void generateSeriesPerRow(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("select l.id, g from l, generate_series(l.k, l.v) g", epochs);
  }

  @Property(tries = 5)
  void generateSeriesWithStepAndCondition(@ForAll("histories") List<List<Action>> epochs)
      throws Exception {
    check("select l.id, g.i, r.w from l cross join lateral generate_series(l.v, 0, -1) g(i)"
        + " join r on r.rk = g.i and r.w > g.i", epochs);
  }

  @Property(tries = 5)
  void seriesWithOrdinality(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("select l.id, g.i, g.n from l, generate_series(l.v, l.k, -1) with ordinality g(i, n)",
        epochs);
  }

  @Property(tries = 5)
  void leftJoinLateralSeries(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("select l.id, g.i from l left join lateral generate_series(1, l.v) g(i) on true",
        epochs);
  }

  @Property(tries = 5)
  void constantSeriesFilteredAndGrouped(@ForAll("histories") List<List<Action>> epochs)
      throws Exception {
    check("select g, count(*) as n, sum(d.b) as s from d, generate_series(0, 2) g"
        + " where g <= d.a group by g", epochs);
  }

  @Property(tries = 5)
  void numericSeries(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("select l.id, g from l join lateral generate_series(0.5, l.v, 0.75) g on g < l.k + 1",
        epochs);
  }

  // --- keyless sources ---------------------------------------------------------------------

  @Property(tries = 5)
  void keylessRowsCounted(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("select a, b from d", epochs);
  }

  @Property(tries = 5)
  void keylessGroupedAndJoined(@ForAll("histories") List<List<Action>> epochs) throws Exception {
    check("select d.a, count(*) as n, sum(d.b) as s, max(l.id) as m from d join l on l.k = d.a"
        + " group by d.a", epochs);
  }

  // --- errors ------------------------------------------------------------------------------

  @Example
  void moreThanOneRowIsAnError() throws Exception {
    reset();
    Plan plan = compile("select id, (select w from r where r.rk = l.k) as w from l");
    try (Harness h = new Harness(plan)) {
      h.heartbeat();
      h.insert("l", Harness.row("id", 1, "k", 7, "v", 0));
      h.insert("r", Harness.row("rid", 1, "rk", 7, "w", 10));
      h.advance(Duration.ofMillis(100));
      assertThat(String.join("\n", h.drain())).as("one subquery row")
          .contains("{\"id\":1,\"w\":10}").doesNotContain("error ");
      h.insert("r", Harness.row("rid", 2, "rk", 7, "w", 20));
      h.advance(Duration.ofMillis(100));
      assertThat(String.join("\n", h.drain())).as("a second row for k = 7")
          .contains("error ")
          .contains("more than one row returned by a subquery used as an expression");
    }
  }

  // --- harness -----------------------------------------------------------------------------

  private static Plan compile(String sql) {
    return new StreamTableCompiler().compile(StreamTableDefinition.of("st", sql), connection);
  }

  private static void reset() throws SQLException {
    try (Statement st = connection.createStatement()) {
      st.execute("truncate l, r, d");
    }
  }

  private static void check(String sql, List<List<Action>> epochs) throws Exception {
    reset();
    Plan plan = compile(sql);
    Map<String, Map<Integer, Integer[]>> tables = Map.of("l", new TreeMap<>(), "r", new TreeMap<>());
    List<Integer[]> d = new ArrayList<>();
    Map<String, String> materialized = new HashMap<>();
    try (Harness h = new Harness(plan)) {
      h.heartbeat();
      for (List<Action> epoch : epochs) {
        boolean tx = epoch.size() > 1;
        if (tx) {
          h.begin();
        }
        connection.setAutoCommit(false);
        for (Action a : epoch) {
          if (a.table().equals("d")) {
            applyKeyless(h, d, a);
          } else {
            apply(h, tables.get(a.table()), a);
          }
        }
        connection.commit();
        connection.setAutoCommit(true);
        if (tx) {
          h.end();
        }
        h.advance(Duration.ofMillis(100));
        for (TestRecord<byte[], byte[]> r : h.drainRecords()) {
          if (Harness.header(r, "trickle.marker") != null) {
            continue;
          }
          assertThat(Harness.header(r, "trickle.error")).as("no error records for %s: %s", sql,
              r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8)).isNull();
          String key = new String(r.key(), StandardCharsets.UTF_8);
          if (r.value() == null) {
            assertThat(materialized.remove(key)).as("tombstone for an existing key " + key).isNotNull();
          } else {
            materialized.put(key, new String(r.value(), StandardCharsets.UTF_8));
          }
        }
        assertThat(JoinKindsVersusRecomputeTest.contents(materialized))
            .as("%s after epoch %s of %s; plan:%n%s", sql, epoch, epochs, plan.explain())
            .isEqualTo(postgres(sql));
      }
    }
  }

  /** The query's result in PostgreSQL, each row as the JSON the output topic would carry. */
  private static Map<String, Long> postgres(String sql) throws SQLException {
    Map<String, Long> out = new HashMap<>();
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("select row_to_json(q)::text from (" + sql + ") q")) {
      while (rs.next()) {
        out.merge(Harness.parse(rs.getString(1).getBytes(StandardCharsets.UTF_8)).toString(), 1L,
            Long::sum);
      }
    }
    return out;
  }

  private static void apply(Harness h, Map<Integer, Integer[]> table, Action a) throws SQLException {
    String[] names = a.table().equals("l") ? new String[] {"id", "k", "v"} : new String[] {"rid", "rk", "w"};
    if (a.truncate()) {
      table.clear();
      h.truncate(a.table());
      sql("truncate " + a.table());
    } else if (a.delete()) {
      if (table.remove(a.id()) != null) {
        h.delete(a.table(), Harness.row(names[0], a.id()));
        sql("delete from " + a.table() + " where " + names[0] + " = ?", a.id());
      }
    } else {
      Map<String, Object> after = Harness.row(names[0], a.id(), names[1], a.k(), names[2], a.v());
      if (table.put(a.id(), new Integer[] {a.id(), a.k(), a.v()}) == null) {
        h.insert(a.table(), after);
        sql("insert into " + a.table() + " values (?, ?, ?)", a.id(), a.k(), a.v());
      } else {
        h.update(a.table(), after);
        sql("update " + a.table() + " set " + names[1] + " = ?, " + names[2] + " = ? where "
            + names[0] + " = ?", a.k(), a.v(), a.id());
      }
    }
  }

  /** Deletes and updates hit one copy of a stored row, as PostgreSQL does by ctid. */
  private static void applyKeyless(Harness h, List<Integer[]> d, Action a) throws SQLException {
    Map<String, Object> after = Harness.row("a", a.k(), "b", a.v());
    String oneCopy = " where ctid = (select ctid from d where a is not distinct from ?"
        + " and b is not distinct from ? limit 1)";
    if (a.truncate()) {
      d.clear();
      h.truncate("d");
      sql("truncate d");
    } else if (a.dice() < 10 && !d.isEmpty()) {
      Integer[] old = d.get(a.id() % d.size());
      Map<String, Object> before = Harness.row("a", old[0], "b", old[1]);
      if (a.delete()) {
        d.remove(old);
        h.delete("d", before);
        sql("delete from d" + oneCopy, old[0], old[1]);
      } else {
        Integer oldA = old[0];
        Integer oldB = old[1];
        old[0] = a.k();
        old[1] = a.v();
        h.update("d", before, after);
        sql("update d set a = ?, b = ?" + oneCopy, a.k(), a.v(), oldA, oldB);
      }
    } else {
      d.add(new Integer[] {a.k(), a.v()});
      h.insert("d", after);
      sql("insert into d values (?, ?)", a.k(), a.v());
    }
  }

  private static void sql(String sql, Integer... args) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i], java.sql.Types.INTEGER);
      }
      ps.executeUpdate();
    }
  }
}
