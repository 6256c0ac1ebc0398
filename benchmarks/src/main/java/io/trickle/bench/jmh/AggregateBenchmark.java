package io.trickle.bench.jmh;

import static io.trickle.bench.jmh.DebeziumRecords.row;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * GROUP BY aggregates → materialize over {@code orders}: 100 groups of 1,000 rows.
 * <ul>
 *   <li>{@code sumCountUpdate}: COUNT(*), COUNT, SUM; each change updates a random order's amount
 *       and moves it to a random group (−old in one group, +new in another);
 *   <li>{@code minMaxUpdate}: MIN, MAX, COUNT(*); the same random updates;
 *   <li>{@code minMaxDeleteCurrentMax}: alternately deletes the row holding its group's current
 *       MAX and re-inserts it: the new extremum comes from the next key of the sorted multiset,
 *       never from rescanning the 1,000 rows.
 * </ul>
 * Score = source changes/s, each its own transaction.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class AggregateBenchmark {
  static final int GROUPS = 100;
  static final int PER_GROUP = 1_000;
  static final int ROWS = GROUPS * PER_GROUP;

  /** Group g holds ids g*1000 .. g*1000+999 with amounts 0 .. 999. */
  private static OperatorPipeline load(OperatorPipeline p) {
    Batches.preload(p, ROWS, (r, i) -> r.insert("orders", row("id", i, "customer_id", i / PER_GROUP, "amount", i % PER_GROUP)));
    return p;
  }

  private static Batches randomUpdates() {
    SplittableRandom rnd = new SplittableRandom(3);
    return new Batches(2_000, false, (r, i) -> r.update("orders",
        row("id", rnd.nextInt(ROWS), "customer_id", rnd.nextInt(GROUPS), "amount", rnd.nextInt(PER_GROUP))));
  }

  /** One loaded pipeline and its batches; each benchmark loads only the plan it measures. */
  @State(Scope.Thread)
  public abstract static class Loaded {
    OperatorPipeline pipeline;
    Batches batches;

    @TearDown(Level.Trial)
    public void tearDown() {
      pipeline.close();
    }
  }

  public static class SumCount extends Loaded {
    @Setup(Level.Trial)
    public void setUp() {
      pipeline = load(new OperatorPipeline(BenchPlans.sumCount(), true));
      batches = randomUpdates();
    }
  }

  public static class MinMax extends Loaded {
    @Setup(Level.Trial)
    public void setUp() {
      pipeline = load(new OperatorPipeline(BenchPlans.minMax(), true));
      batches = randomUpdates();
    }
  }

  public static class MinMaxDeleteMax extends Loaded {
    @Setup(Level.Trial)
    public void setUp() {
      pipeline = load(new OperatorPipeline(BenchPlans.minMax(), true));
      // Change 2k deletes the max row of group k % GROUPS, change 2k+1 puts it back.
      batches = new Batches(2_000, false, (r, i) -> {
        int g = (i / 2) % GROUPS;
        int id = g * PER_GROUP + PER_GROUP - 1;
        if (i % 2 == 0) {
          r.delete("orders", row("id", id));
        } else {
          r.insert("orders", row("id", id, "customer_id", g, "amount", PER_GROUP - 1));
        }
      });
    }
  }

  @Benchmark
  @OperationsPerInvocation(Batches.CHANGES)
  public void sumCountUpdate(SumCount s) {
    s.batches.sendNext(s.pipeline);
  }

  @Benchmark
  @OperationsPerInvocation(Batches.CHANGES)
  public void minMaxUpdate(MinMax s) {
    s.batches.sendNext(s.pipeline);
  }

  @Benchmark
  @OperationsPerInvocation(Batches.CHANGES)
  public void minMaxDeleteCurrentMax(MinMaxDeleteMax s) {
    s.batches.sendNext(s.pipeline);
  }
}
