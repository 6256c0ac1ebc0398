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

/** A table without a primary key (REPLICA IDENTITY FULL): one output record per copy of a row, keyed by hash and ordinal. */
class KeylessSourceTest {
  private static final SourceOp LOG = new SourceOp(1, SqlPos.UNKNOWN, "public", "log",
      List.of(col("kind", Plans.TEXT), col("note", Plans.TEXT)), RowKey.ROW_HASH, null);
  private static final Plan PLAN = new Plan("log_copy", "select kind, note from log",
      new MaterializeOp(2, SqlPos.UNKNOWN, LOG, "log_copy"));

  /** The output key of copy {@code ordinal} of {@code row}. */
  private static String key(int ordinal, Object... row) {
    return "{\"__trickle_key\":\"" + RowHash.hex(RowHash.of(row)) + ":" + ordinal + "\"}";
  }

  private static List<String> data(Harness h) {
    return h.drain().stream().filter(s -> !s.startsWith("marker ")).toList();
  }

  @Test
  void duplicatesAreOneRecordPerCopyAndOneCopyChangesAtATime() {
    String a = "{\"kind\":\"a\",\"note\":\"long\"}";
    try (Harness h = new Harness(PLAN)) {
      h.insert("log", row("kind", "a", "note", "long"));
      h.insert("log", row("kind", "a", "note", "long"));
      assertThat(data(h)).as("two identical rows are two records, no count").containsExactly(
          key(1, "a", "long") + " -> " + a, key(2, "a", "long") + " -> " + a);
      h.delete("log", row("kind", "a", "note", "long"));
      assertThat(data(h)).as("a delete removes the last copy")
          .containsExactly(key(2, "a", "long") + " -> null");
      // The unchanged TOASTed note comes from the full old row REPLICA IDENTITY FULL sends.
      h.update("log", row("kind", "a", "note", "long"),
          row("kind", "b", "note", "__debezium_unavailable_value"));
      assertThat(data(h)).as("an update moves the last copy").containsExactly(key(1, "a", "long") + " -> null",
          key(1, "b", "long") + " -> {\"kind\":\"b\",\"note\":\"long\"}");
      h.truncate("log");
      assertThat(data(h)).as("TRUNCATE retracts every copy").containsExactly(key(1, "b", "long") + " -> null");
    }
  }

  @Test
  void aMultiplicityGoingFromZeroToThreeToTwoToZeroEmitsExactlyTheCopiesThatChange() {
    String a = "{\"kind\":\"a\",\"note\":\"n\"}";
    Object[] row = {"a", "n"};
    try (Harness h = new Harness(PLAN)) {
      h.begin().insert("log", row("kind", "a", "note", "n")).insert("log", row("kind", "a", "note", "n"))
          .insert("log", row("kind", "a", "note", "n")).end();
      assertThat(data(h)).as("0 -> 3: copies 1, 2 and 3").containsExactly(
          key(1, row) + " -> " + a, key(2, row) + " -> " + a, key(3, row) + " -> " + a);
      h.begin().delete("log", row("kind", "a", "note", "n")).insert("log", row("kind", "a", "note", "n")).end();
      assertThat(data(h)).as("3 -> 3 within one transaction: nothing").isEmpty();
      h.begin().delete("log", row("kind", "a", "note", "n")).end();
      assertThat(data(h)).as("3 -> 2: a tombstone for copy 3 only").containsExactly(key(3, row) + " -> null");
      h.begin().insert("log", row("kind", "a", "note", "n")).insert("log", row("kind", "a", "note", "n")).end();
      assertThat(data(h)).as("2 -> 4: copies 3 and 4").containsExactly(
          key(3, row) + " -> " + a, key(4, row) + " -> " + a);
      h.begin().delete("log", row("kind", "a", "note", "n")).delete("log", row("kind", "a", "note", "n")).end();
      assertThat(data(h)).as("4 -> 2").containsExactly(key(3, row) + " -> null", key(4, row) + " -> null");
      h.begin().delete("log", row("kind", "a", "note", "n")).delete("log", row("kind", "a", "note", "n")).end();
      assertThat(data(h)).as("2 -> 0: tombstones for copies 1 and 2").containsExactly(
          key(1, row) + " -> null", key(2, row) + " -> null");
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
