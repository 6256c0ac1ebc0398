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
 * {@code orders ⋈ customers on customer_id = cid} → materialize, with {@code customers}
 * pre-loaded with N rows and 10,000 orders. {@code orderChange}: an order update that moves it
 * to a random customer (−old joined row, +new joined row: two prefix scans of the customers
 * index). {@code customerChange}: a customer update, joined against its ~10,000/N orders.
 * Score = source changes/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class JoinBenchmark {
  static final int ORDERS = 10_000;

  @Param({"1000", "100000"})
  public int customers;

  private OperatorPipeline pipeline;
  private Batches orderChanges;
  private Batches customerChanges;

  @Setup(Level.Trial)
  public void setUp() {
    pipeline = new OperatorPipeline(BenchPlans.join(), true);
    Batches.preload(pipeline, customers, (r, i) -> r.insert("customers", row("cid", i, "name", "customer " + i, "region", i % 10)));
    Batches.preload(pipeline, ORDERS, (r, i) -> r.insert("orders", row("id", i, "customer_id", i % customers, "amount", i % 1000)));
    SplittableRandom rnd = new SplittableRandom(2);
    orderChanges = new Batches(2_000, false, (r, i) -> r.update("orders",
        row("id", rnd.nextInt(ORDERS), "customer_id", rnd.nextInt(customers), "amount", rnd.nextInt(1000))));
    // Only customers that have orders: those below ORDERS keep ~ORDERS/customers orders each.
    customerChanges = new Batches(2_000, false, (r, i) -> {
      int cid = rnd.nextInt(Math.min(customers, ORDERS));
      r.update("customers", row("cid", cid, "name", "customer " + cid + "/" + i, "region", i % 10));
    });
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    pipeline.close();
  }

  @Benchmark
  @OperationsPerInvocation(Batches.CHANGES)
  public void orderChange() {
    orderChanges.sendNext(pipeline);
  }

  @Benchmark
  @OperationsPerInvocation(Batches.CHANGES)
  public void customerChange() {
    customerChanges.sendNext(pipeline);
  }
}
