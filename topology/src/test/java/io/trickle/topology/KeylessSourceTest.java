package io.trickle.topology;

import static io.trickle.topology.Harness.row;
import static io.trickle.topology.Plans.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.compiler.plan.MaterializeOp;
import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.RowKey;
import io.trickle.compiler.plan.SourceOp;
import io.trickle.compiler.plan.SqlPos;
import io.trickle.topology.state.RowHash;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A table without a primary key (REPLICA IDENTITY FULL): rows keyed by hash and counted. */
class KeylessSourceTest {
  private static final SourceOp LOG = new SourceOp(1, SqlPos.UNKNOWN, "public", "log",
      List.of(col("kind", Plans.TEXT), col("note", Plans.TEXT)), RowKey.ROW_HASH, null);
  private static final Plan PLAN = new Plan("log_copy", "select kind, note from log",
      new MaterializeOp(2, SqlPos.UNKNOWN, LOG, "log_copy"));

  private static String key(Object... row) {
    return "{\"__trickle_key\":\"" + RowHash.hex(RowHash.of(row)) + "\"}";
  }

  @Test
  void duplicatesAreCountedAndOneCopyChangesAtATime() {
    String a = key("a", "long");
    try (Harness h = new Harness(PLAN)) {
      h.insert("log", row("kind", "a", "note", "long"));
      h.insert("log", row("kind", "a", "note", "long"));
      assertThat(h.drain()).as("two identical rows").contains(
          a + " -> {\"kind\":\"a\",\"note\":\"long\",\"__trickle_count\":2}");
      h.delete("log", row("kind", "a", "note", "long"));
      assertThat(h.drain()).as("a delete removes one copy").contains(
          a + " -> {\"kind\":\"a\",\"note\":\"long\",\"__trickle_count\":1}");
      // The unchanged TOASTed note comes from the full old row REPLICA IDENTITY FULL sends.
      h.update("log", row("kind", "a", "note", "long"),
          row("kind", "b", "note", "__debezium_unavailable_value"));
      assertThat(h.drain()).as("an update moves the last copy").contains(a + " -> null",
          key("b", "long") + " -> {\"kind\":\"b\",\"note\":\"long\",\"__trickle_count\":1}");
      h.truncate("log");
      assertThat(h.drain()).as("TRUNCATE retracts every copy").contains(key("b", "long") + " -> null");
    }
  }

  @Test
  void aDeleteWithoutTheOldRowIsAnError() {
    try (Harness h = new Harness(PLAN)) {
      h.insert("log", row("kind", "a", "note", "x"));
      h.delete("log", null);
      h.delete("log", row("kind", "zzz", "note", "x"));
      List<String> out = h.drain();
      assertThat(out.stream().filter(s -> s.startsWith("error ")).toList()).as("two error records")
          .hasSize(2).anySatisfy(s -> assertThat(s).contains("REPLICA IDENTITY FULL"))
          .anySatisfy(s -> assertThat(s).contains("removes a row that is not stored"));
    }
  }
}
