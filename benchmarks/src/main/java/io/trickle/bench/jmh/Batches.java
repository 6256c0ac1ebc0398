package io.trickle.bench.jmh;

import java.util.ArrayList;
import java.util.List;

/**
 * A ring of pre-built batches of {@link #CHANGES} source changes each. A batch is either ten
 * separate source transactions (ten epochs) or one transaction of ten changes (one epoch).
 */
final class Batches {
  static final int CHANGES = 10;
  private final byte[][][] batches;
  private int next;

  /** @param change appends change number {@code i} to the records */
  Batches(int count, boolean grouped, java.util.function.BiConsumer<DebeziumRecords, Integer> change) {
    List<byte[][]> out = new ArrayList<>();
    int i = 0;
    for (int b = 0; b < count; b++) {
      DebeziumRecords r = new DebeziumRecords();
      if (grouped) {
        r.begin();
      }
      for (int k = 0; k < CHANGES; k++) {
        change.accept(r, i++);
      }
      if (grouped) {
        r.end();
      }
      out.add(r.toArray());
    }
    batches = out.toArray(new byte[0][][]);
  }

  /** Feeds the next batch. */
  void sendNext(OperatorPipeline pipeline) {
    byte[][] batch = batches[next];
    next = next + 1 == batches.length ? 0 : next + 1;
    for (byte[] r : batch) {
      pipeline.send(r);
    }
  }

  /** Loads rows in transactions of 1000 (one epoch each), before measuring. */
  static void preload(OperatorPipeline pipeline, int rows, java.util.function.BiConsumer<DebeziumRecords, Integer> insert) {
    for (int start = 0; start < rows; start += 1000) {
      DebeziumRecords r = new DebeziumRecords().begin();
      for (int i = start; i < Math.min(rows, start + 1000); i++) {
        insert.accept(r, i);
      }
      for (byte[] rec : r.end().toArray()) {
        pipeline.send(rec);
      }
    }
  }

}
