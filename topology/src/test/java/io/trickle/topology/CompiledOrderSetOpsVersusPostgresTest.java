package io.trickle.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.sql.Types;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * ORDER BY ... LIMIT/OFFSET, OFFSET alone and DISTINCT ON (TopK), SELECT DISTINCT and the set
 * operations, compiled by the real compiler and run in the topology over random histories of
 * inserts, updates, deletes and truncates; after every epoch the materialized rows must equal
 * what PostgreSQL itself returns for the query over the same tables. PostgreSQL breaks ties among
 * equal sort keys arbitrarily, so every TopK query here has a total order, or outputs only its
 * sort columns (then any choice among ties gives the same rows), or is checked only for being one
 * of PostgreSQL's answers. Tables: {@code l(id, k, v)} and {@code r(rid, rk, w)}.
 */
class CompiledOrderSetOpsVersusPostgresTest {
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
        Arbitraries.of("l", "l", "r"), Arbitraries.integers().between(0, 7),
        Arbitraries.integers().between(0, 29), Arbitraries.integers().between(0, 2).injectNull(0.15),
        Arbitraries.integers().between(-3, 3).injectNull(0.15))
        .as((table, id, dice, k, v) -> new Action(table, id, dice < 8, dice == 29, k, v));
    return action.list().ofMinSize(1).ofMaxSize(4).list().ofMinSize(1).ofMaxSize(30);
  }

  @Property(tries = 15)
  void topKWithTotalOrder(@ForAll("histories") List<List<Action>> epochs) throws SQLException {
    check("select id, k, v from l order by v desc, id limit 3", epochs);
  }

  @Property(tries = 15)
  void topKWithOffsetAndTies(@ForAll("histories") List<List<Action>> epochs) throws SQLException {
    check("select v from l order by v limit 3 offset 2", epochs);
  }

  @Property(tries = 12)
  void topKNullsFirstOnTwoKeys(@ForAll("histories") List<List<Action>> epochs) throws SQLException {
    check("select k, v from l order by k nulls first, v desc fetch first 4 rows only", epochs);
  }

  @Property(tries = 12)
  void topKOverAggregate(@ForAll("histories") List<List<Action>> epochs) throws SQLException {
    check("select k, count(*) as n from l group by k order by n desc, k limit 2", epochs);
  }

  @Property(tries = 12)
  void topKInSubquery(@ForAll("histories") List<List<Action>> epochs) throws SQLException {
    check("select count(*) as n, sum(v) as s from (select v from l order by v desc limit 3) t",
        epochs);
  }

  @Property(tries = 10)
  void orderByWithoutLimit(@ForAll("histories") List<List<Action>> epochs) throws SQLException {
    check("select id, v from l order by v, id", epochs);
  }

  @Property(tries = 12)
  void selectDistinct(@ForAll("histories") List<List<Action>> epochs) throws SQLException {
    check("select distinct k, v from l", epochs);
  }

  @Property(tries = 12)
  void unionAll(@ForAll("histories") List<List<Action>> epochs) throws SQLException {
    check("select k, v from l union all select rk, w from r", epochs);
  }

  @Property(tries = 12)
  void union(@ForAll("histories") List<List<Action>> epochs) throws SQLException {
    check("select k from l union select rk from r", epochs);
  }

  @Property(tries = 12)
  void intersect(@ForAll("histories") List<List<Action>> epochs) throws SQLException {
    check("select k, v from l intersect select rk, w from r", epochs);
  }

  @Property(tries = 12)
  void intersectAll(@ForAll("histories") List<List<Action>> epochs) throws SQLException {
    check("select k from l intersect all select rk from r", epochs);
  }

  @Property(tries = 12)
  void except(@ForAll("histories") List<List<Action>> epochs) throws SQLException {
    check("select k from l except select rk from r", epochs);
  }

  @Property(tries = 12)
  void exceptAll(@ForAll("histories") List<List<Action>> epochs) throws SQLException {
    check("select k from l except all select rk from r", epochs);
  }

  @Property(tries = 10)
  void threeWaySetOperations(@ForAll("histories") List<List<Action>> epochs) throws SQLException {
    check("select k from l except all select rk from r union all select v from l", epochs);
  }

  @Property(tries = 10)
  void unionUnderLimit(@ForAll("histories") List<List<Action>> epochs) throws SQLException {
    check("select k from l union select rk from r order by 1 desc limit 2", epochs);
  }

  @Property(tries = 12)
  void offsetWithoutLimit(@ForAll("histories") List<List<Action>> epochs) throws SQLException {
    check("select id, k, v from l order by v nulls first, id desc offset 3", epochs);
  }

  @Property(tries = 10)
  void offsetWithoutLimitAndTies(@ForAll("histories") List<List<Action>> epochs)
      throws SQLException {
    check("select k from l order by k offset 2", epochs);
  }

  @Property(tries = 15)
  void distinctOnWithTotalOrder(@ForAll("histories") List<List<Action>> epochs) throws SQLException {
    check("select distinct on (k) k, id, v from l order by k, v desc, id", epochs);
  }

  @Property(tries = 12)
  void distinctOnExpressionNotSelected(@ForAll("histories") List<List<Action>> epochs)
      throws SQLException {
    check("select distinct on (v % 2, k) id, v from l order by v % 2, k nulls first, id desc",
        epochs);
  }

  @Property(tries = 12)
  void distinctOnUnderLimit(@ForAll("histories") List<List<Action>> epochs) throws SQLException {
    check("select distinct on (k) k, v, id from l order by k nulls first, v nulls first, id limit 2",
        epochs);
  }

  @Property(tries = 12)
  void distinctOnOverAggregate(@ForAll("histories") List<List<Action>> epochs) throws SQLException {
    check("select distinct on (k) k, v, count(*) as n from l group by k, v"
        + " order by k, count(*) desc, v", epochs);
  }

  @Property(tries = 12)
  void distinctOnJoined(@ForAll("histories") List<List<Action>> epochs) throws SQLException {
    check("select d.k, d.id, r.rid from (select distinct on (k) k, id from l order by k, id desc) d"
        + " join r on r.rk = d.k", epochs);
  }

  @Property(tries = 12)
  void rowNumberTopTwoPerGroup(@ForAll("histories") List<List<Action>> epochs) throws SQLException {
    check("select id, k, v from (select id, k, v, row_number() over (partition by k order by v"
        + " desc nulls last, id) as rn from l) t where rn <= 2", epochs);
  }

  /**
   * Ties: PostgreSQL keeps an arbitrary row of each group, so the result is checked only for
   * being one of its answers: the ORDER BY columns equal PostgreSQL's, and every row is a row of l.
   */
  @Property(tries = 12)
  void distinctOnWithTies(@ForAll("histories") List<List<Action>> epochs) throws SQLException {
    String sql = "select distinct on (k) k, v, id from l order by k, v";
    check(sql, epochs, materialized -> {
      assertThat(project(materialized, "k", "v")).as("the decided columns of %s", sql)
          .isEqualTo(postgresResult("select k, v from (" + sql + ") q"));
      assertThat(postgresResult("select k, v, id from l").keySet()).as("rows of l")
          .containsAll(JoinKindsVersusRecomputeTest.contents(materialized).keySet());
    });
  }

  @Property(tries = 10)
  void distinctOnWithoutOrderBy(@ForAll("histories") List<List<Action>> epochs) throws SQLException {
    String sql = "select distinct on (k) k, id from l";
    check(sql, epochs, materialized -> {
      assertThat(project(materialized, "k")).as("one row per group of %s", sql)
          .isEqualTo(postgresResult("select distinct k from l"));
      assertThat(postgresResult("select k, id from l").keySet()).as("rows of l")
          .containsAll(JoinKindsVersusRecomputeTest.contents(materialized).keySet());
    });
  }

  /** The materialized rows reduced to some columns, as a multiset of JSON objects. */
  private static Map<String, Long> project(Map<String, String> materialized, String... columns) {
    Map<String, Long> out = new HashMap<>();
    for (Map.Entry<String, Long> e : JoinKindsVersusRecomputeTest.contents(materialized).entrySet()) {
      ObjectNode row = (ObjectNode) Harness.parse(e.getKey().getBytes(StandardCharsets.UTF_8));
      row.retain(columns);
      out.merge(row.toString(), e.getValue(), Long::sum);
    }
    return out;
  }

  /** Checks after every epoch that the materialized rows of the query equal PostgreSQL's. */
  private static void check(String sql, List<List<Action>> epochs) throws SQLException {
    check(sql, epochs, materialized -> assertThat(
        JoinKindsVersusRecomputeTest.contents(materialized)).as("%s", sql)
        .isEqualTo(postgresResult(sql)));
  }

  /** What must hold of the materialized rows (key JSON → value JSON) after an epoch. */
  private interface Oracle {
    void verify(Map<String, String> materialized) throws SQLException;
  }

  private static void check(String sql, List<List<Action>> epochs, Oracle oracle)
      throws SQLException {
    Plan plan = new StreamTableCompiler().compile(StreamTableDefinition.of("st", sql), connection);
    try (Statement st = connection.createStatement()) {
      st.execute("truncate l, r");
    }
    Map<String, Set<Integer>> ids = Map.of("l", new HashSet<>(), "r", new HashSet<>());
    Map<String, String> materialized = new HashMap<>();
    try (Harness h = new Harness(plan)) {
      h.heartbeat();
      for (List<Action> epoch : epochs) {
        boolean tx = epoch.size() > 1;
        if (tx) {
          h.begin();
        }
        for (Action a : epoch) {
          apply(h, ids.get(a.table()), a);
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
        try {
          oracle.verify(materialized);
        } catch (AssertionError e) {
          throw new AssertionError(String.format("%s after epoch %s of %s; plan:%n%s", sql, epoch,
              epochs, plan.explain()), e);
        }
      }
    }
  }

  /** The query's rows as PostgreSQL returns them, as a multiset of JSON objects. */
  private static Map<String, Long> postgresResult(String sql) throws SQLException {
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

  private static void apply(Harness h, Set<Integer> ids, Action a) throws SQLException {
    String[] names = a.table().equals("l") ? new String[] {"id", "k", "v"} : new String[] {"rid", "rk", "w"};
    if (a.truncate()) {
      ids.clear();
      h.truncate(a.table());
      execute("truncate " + a.table());
    } else if (a.delete()) {
      if (ids.remove(a.id())) {
        h.delete(a.table(), Harness.row(names[0], a.id()));
        execute("delete from " + a.table() + " where " + names[0] + " = " + a.id());
      }
    } else {
      Map<String, Object> after = Harness.row(names[0], a.id(), names[1], a.k(), names[2], a.v());
      if (ids.add(a.id())) {
        h.insert(a.table(), after);
      } else {
        h.update(a.table(), after);
      }
      try (PreparedStatement st = connection.prepareStatement("insert into " + a.table()
          + " values (?, ?, ?) on conflict (" + names[0] + ") do update set " + names[1] + " = "
          + "excluded." + names[1] + ", " + names[2] + " = excluded." + names[2])) {
        st.setInt(1, a.id());
        setInt(st, 2, a.k());
        setInt(st, 3, a.v());
        st.executeUpdate();
      }
    }
  }

  private static void setInt(PreparedStatement st, int index, Integer value) throws SQLException {
    if (value == null) {
      st.setNull(index, Types.INTEGER);
    } else {
      st.setInt(index, value);
    }
  }

  private static void execute(String sql) throws SQLException {
    try (Statement st = connection.createStatement()) {
      st.execute(sql);
    }
  }
}
