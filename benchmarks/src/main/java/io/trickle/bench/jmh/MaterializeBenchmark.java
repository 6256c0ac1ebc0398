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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * source → materialize ({@code select * from t}, 10,000 rows), random row updates. Parameters:
 * {@code tx}: {@code single} = each change its own source transaction (an epoch per change),
 * {@code grouped} = transactions of 10 changes; {@code epochs}: {@code on} (the product) or
 * {@code off} (the benchmark-only mode of docs/benchmarks.md: each change emitted at once, no
 * dirty-key bookkeeping, markers only on heartbeats). {@code sumCountGrouped} runs the GROUP BY
 * SUM/COUNT plan of {@link AggregateBenchmark} the same ways, where grouping consolidates.
 * Score = source changes/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class MaterializeBenchmark {
  static final int ROWS = 10_000;

  @Param({"single", "grouped"})
  public String tx;

  @Param({"on", "off"})
  public String epochs;

  private OperatorPipeline copy;
  private OperatorPipeline sumCount;
  private Batches updates;
  private Batches orderUpdates;

  @Setup(Level.Trial)
  public void setUp() {
    boolean on = epochs.equals("on");
    boolean grouped = tx.equals("grouped");
    copy = new OperatorPipeline(BenchPlans.copy(), on);
    Batches.preload(copy, ROWS, (r, i) -> r.insert("t", row("id", i, "a", i, "b", i, "note", "row " + i)));
    sumCount = new OperatorPipeline(BenchPlans.sumCount(), on);
    Batches.preload(sumCount, ROWS, (r, i) -> r.insert("orders", row("id", i, "customer_id", i % 100, "amount", i % 1000)));
    SplittableRandom rnd = new SplittableRandom(4);
    updates = new Batches(2_000, grouped, (r, i) -> r.update("t",
        row("id", rnd.nextInt(ROWS), "a", rnd.nextInt(1000), "b", i, "note", "note " + i)));
    orderUpdates = new Batches(2_000, grouped, (r, i) -> r.update("orders",
        row("id", rnd.nextInt(ROWS), "customer_id", rnd.nextInt(100), "amount", rnd.nextInt(1000))));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    copy.close();
    sumCount.close();
  }

  @Benchmark
  @OperationsPerInvocation(Batches.CHANGES)
  public void copyUpdate() {
    updates.sendNext(copy);
  }

  @Benchmark
  @OperationsPerInvocation(Batches.CHANGES)
  public void sumCountGrouped() {
    orderUpdates.sendNext(sumCount);
  }
}
