package io.trickle.topology;

import static io.trickle.topology.Harness.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.compiler.StreamTableCompiler;
import io.trickle.compiler.parse.StreamTableDefinition;
import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.TopKOp;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exact deltas of a TopK ({@code order by v desc, id limit 2}): an insert, an update (old → new)
 * and a delete each emit only the rows entering and leaving the window, and a change sorting
 * after a full window emits nothing at all.
 */
class TopKTest {
  private static EmbeddedPostgres postgres;
  private static Connection connection;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    connection = postgres.getPostgresDatabase().getConnection();
    try (Statement st = connection.createStatement()) {
      st.execute("create table l (id int primary key, k int, v int)");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    connection.close();
    postgres.close();
  }

  private static final String MARKER = "marker";

  private static List<String> data(Harness h) {
    return h.drain().stream().filter(s -> !s.startsWith(MARKER)).toList();
  }

  @Test
  void insertUpdateDeleteEmitOnlyTheWindowDifference() {
    Plan plan = new StreamTableCompiler().compile(
        StreamTableDefinition.of("st", "select id, v from l order by v desc, id limit 2"), connection);
    TopKOp topk = (TopKOp) plan.operators().stream().filter(TopKOp.class::isInstance).findFirst()
        .orElseThrow();
    try (Harness h = new Harness(plan)) {
      h.insert("l", row("id", 1, "k", 0, "v", 5));
      assertThat(data(h)).containsExactly("{\"id\":1} -> {\"id\":1,\"v\":5}");
      h.insert("l", row("id", 2, "k", 0, "v", 3));
      assertThat(data(h)).containsExactly("{\"id\":2} -> {\"id\":2,\"v\":3}");
      double before = h.metricTotal(topk.name(), "changes-processed");
      h.insert("l", row("id", 3, "k", 0, "v", 1));
      assertThat(data(h)).as("a row after the full window").isEmpty();
      assertThat(h.metricTotal(topk.name(), "changes-processed"))
          .as("the TopK forwards nothing for it").isEqualTo(before);
      h.insert("l", row("id", 4, "k", 0, "v", 3));
      assertThat(data(h)).as("a tie on v sorts after id 2 by the second key").isEmpty();
      h.update("l", row("id", 3, "k", 0, "v", 10));
      assertThat(data(h)).containsExactlyInAnyOrder("{\"id\":3} -> {\"id\":3,\"v\":10}",
          "{\"id\":2} -> null");
      h.delete("l", row("id", 1));
      assertThat(data(h)).containsExactlyInAnyOrder("{\"id\":1} -> null",
          "{\"id\":2} -> {\"id\":2,\"v\":3}");
      h.update("l", row("id", 2, "k", 0, "v", 2));
      assertThat(data(h)).as("id 2 drops below id 4").containsExactlyInAnyOrder(
          "{\"id\":2} -> null", "{\"id\":4} -> {\"id\":4,\"v\":3}");
    }
  }

  @Test
  void offsetWithoutLimitEmitsOnlyRowsCrossingTheBoundary() {
    Plan plan = new StreamTableCompiler().compile(
        StreamTableDefinition.of("st", "select id, v from l order by v, id offset 2"), connection);
    try (Harness h = new Harness(plan)) {
      h.insert("l", row("id", 1, "k", 0, "v", 5));
      h.insert("l", row("id", 2, "k", 0, "v", 3));
      assertThat(data(h)).as("the first two rows are skipped").isEmpty();
      h.insert("l", row("id", 3, "k", 0, "v", 9));
      assertThat(data(h)).containsExactly("{\"id\":3} -> {\"id\":3,\"v\":9}");
      h.insert("l", row("id", 4, "k", 0, "v", 1));
      assertThat(data(h)).as("id 4 is skipped instead, pushing id 1 out")
          .containsExactly("{\"id\":1} -> {\"id\":1,\"v\":5}");
      h.update("l", row("id", 3, "k", 0, "v", 0));
      assertThat(data(h)).as("id 3 moves into the skipped rows, pushing id 2 out")
          .containsExactlyInAnyOrder("{\"id\":3} -> null", "{\"id\":2} -> {\"id\":2,\"v\":3}");
      h.update("l", row("id", 1, "k", 0, "v", 6));
      assertThat(data(h)).as("a change after the skipped rows passes through")
          .containsExactly("{\"id\":1} -> {\"id\":1,\"v\":6}");
      h.delete("l", row("id", 4));
      assertThat(data(h)).as("id 2 moves back into the skipped rows")
          .containsExactly("{\"id\":2} -> null");
      h.delete("l", row("id", 1));
      assertThat(data(h)).containsExactly("{\"id\":1} -> null");
    }
  }

  @Test
  void nullsSortLastAscendingAndFirstDescending() {
    Plan asc = new StreamTableCompiler().compile(
        StreamTableDefinition.of("st", "select id from l order by v, id limit 1"), connection);
    try (Harness h = new Harness(asc)) {
      h.insert("l", row("id", 1, "k", 0, "v", null));
      assertThat(data(h)).containsExactly("{\"id\":1} -> {\"id\":1}");
      h.insert("l", row("id", 2, "k", 0, "v", 7));
      assertThat(data(h)).containsExactlyInAnyOrder("{\"id\":1} -> null", "{\"id\":2} -> {\"id\":2}");
    }
    Plan desc = new StreamTableCompiler().compile(
        StreamTableDefinition.of("st", "select id from l order by v desc, id limit 1"), connection);
    try (Harness h = new Harness(desc)) {
      h.insert("l", row("id", 2, "k", 0, "v", 7));
      assertThat(data(h)).containsExactly("{\"id\":2} -> {\"id\":2}");
      h.insert("l", row("id", 1, "k", 0, "v", null));
      assertThat(data(h)).containsExactlyInAnyOrder("{\"id\":2} -> null", "{\"id\":1} -> {\"id\":1}");
    }
  }
}
