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
 * source → filter → project → materialize ({@code select id, a + b, a * 2, note from t where
 * a > 100}) over 10,000 rows; each change updates a random row, about 10% of them moving out of
 * or into the filter. Score = source changes/s, each its own transaction.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class FilterProjectBenchmark {
  static final int ROWS = 10_000;
  private OperatorPipeline pipeline;
  private Batches batches;

  @Setup(Level.Trial)
  public void setUp() {
    pipeline = new OperatorPipeline(BenchPlans.filterProject(), true);
    Batches.preload(pipeline, ROWS, (r, i) -> r.insert("t", row("id", i, "a", 500, "b", i, "note", "row " + i)));
    SplittableRandom rnd = new SplittableRandom(1);
    batches = new Batches(2_000, false, (r, i) -> r.update("t",
        row("id", rnd.nextInt(ROWS), "a", rnd.nextInt(1000), "b", i, "note", "note " + i)));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    pipeline.close();
  }

  @Benchmark
  @OperationsPerInvocation(Batches.CHANGES)
  public void update() {
    batches.sendNext(pipeline);
  }
}
