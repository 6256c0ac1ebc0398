package io.trickle.bench.jmh;

import io.trickle.compiler.plan.AggregateOp;
import io.trickle.compiler.plan.FilterOp;
import io.trickle.compiler.plan.JoinOp;
import io.trickle.compiler.plan.MaterializeOp;
import io.trickle.compiler.plan.Op;
import io.trickle.compiler.plan.OpVisitor;
import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.ProjectOp;
import io.trickle.compiler.plan.SourceOp;
import io.trickle.topology.Epochs;
import io.trickle.topology.capture.CapturedTable;
import io.trickle.topology.processor.AggregateProcessorSupplier;
import io.trickle.topology.processor.CapturedSourceProcessorSupplier;
import io.trickle.topology.processor.DispatchProcessorSupplier;
import io.trickle.topology.processor.FilterProcessorSupplier;
import io.trickle.topology.processor.JoinProcessorSupplier;
import io.trickle.topology.processor.MaterializeProcessorSupplier;
import io.trickle.topology.processor.ProjectProcessorSupplier;
import io.trickle.topology.processor.SourceProcessorSupplier;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The processors {@code TopologyFactory} (and the capture stage, {@code CaptureTopology}) would
 * wire for a plan, wired here by hand with one
 * {@link MockProcessorContext} each and real RocksDB stores (changelogs off). Unlike
 * {@code TopologyTestDriver}, which commits (and so flushes every RocksDB memtable) after each
 * input record, this measures the operators themselves. Forwards are delivered depth-first, one
 * captured forward at a time, so a child sees records in the order its parent emitted them.
 * Like the application, which commits every {@value #COMMIT_INTERVAL_MS} ms (and a commit flushes
 * the RocksDB memtables), the stores are flushed every {@value #COMMIT_INTERVAL_MS} ms of wall time.
 */
public final class OperatorPipeline implements AutoCloseable, OpVisitor<List<String>> {
  private final Path stateDir;
  private final Properties config = new Properties();
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final Map<Integer, List<String>> built = new HashMap<>();
  private final Map<String, StateStore> stores = new HashMap<>();
  private final List<StateStore> opened = new ArrayList<>();
  private final Node dispatcher;
  static final long COMMIT_INTERVAL_MS = 100;
  private long offset;
  private long nextCommit = System.nanoTime() + COMMIT_INTERVAL_MS * 1_000_000;
  /** Records the materialize operator sent to the output topic. */
  private long outputRecords;

  private static final class Node {
    final String name;
    final Processor<Object, Object, Object, Object> processor;
    final MockProcessorContext<Object, Object> context;
    final List<Node> children = new ArrayList<>();

    Node(String name, Processor<Object, Object, Object, Object> processor, MockProcessorContext<Object, Object> context) {
      this.name = name;
      this.processor = processor;
      this.context = context;
    }
  }

  /** @param epochs false runs the benchmark-only mode {@code trickle.epochs=off} */
  public OperatorPipeline(Plan plan, boolean epochs) {
    try {
      stateDir = Files.createTempDirectory("trickle-jmh");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, "trickle-jmh");
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    config.put(Epochs.CONFIG, epochs ? "on" : "off");
    List<CapturedTable> tables = CapturedTable.of(List.of(plan));
    Map<String, List<String>> routes = new LinkedHashMap<>();
    for (CapturedTable t : tables) {
      routes.put(t.qualifiedName(), List.of(t.processorName()));
    }
    dispatcher = add(DispatchProcessorSupplier.NAME, new DispatchProcessorSupplier(routes));
    for (CapturedTable t : tables) {
      // The capture stage's source operator of each table; the change topic between it and the
      // stream table (binary encode/decode) is left out.
      add(t.processorName(), new SourceProcessorSupplier(captureOp(t), t.processorName(),
          t.storeName()), DispatchProcessorSupplier.NAME);
    }
    plan.root().accept(this);
  }

  /** Feeds one record of the Debezium change topic (value = JSON bytes). */
  public void send(byte[] value) {
    dispatcher.context.setRecordMetadata("trickle.src.bench.changes", 0, offset++);
    deliver(dispatcher, new Record<>(null, value, offset));
    if (System.nanoTime() - nextCommit > 0) {
      commit();
    }
  }

  /** What a Kafka Streams commit does to the stores: flush them. */
  public void commit() {
    for (StateStore s : opened) {
      s.flush();
    }
    nextCommit = System.nanoTime() + COMMIT_INTERVAL_MS * 1_000_000;
  }

  public long outputRecords() {
    return outputRecords;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void deliver(Node node, Record<?, ?> record) {
    node.processor.process((Record) record);
    if (node.context.forwarded().isEmpty()) {
      return;
    }
    List<CapturedForward<?, ?>> out = new ArrayList<>(node.context.forwarded());
    node.context.resetForwards();
    for (CapturedForward<?, ?> f : out) {
      if (node.children.isEmpty()) {
        outputRecords++;
        continue;
      }
      String child = f.childName().orElse(null);
      for (Node c : node.children) {
        if (child == null || child.equals(c.name)) {
          deliver(c, f.record());
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private Node add(String name, ProcessorSupplier<?, ?, ?, ?> supplier, String... parents) {
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>(config, new TaskId(0, 0), stateDir.toFile());
    if (supplier.stores() != null) {
      for (StoreBuilder<?> b : supplier.stores()) {
        StateStore store = stores.get(b.name());
        if (store == null) {
          store = b.withLoggingDisabled().build();
          store.init(context.getStateStoreContext(), store);
          stores.put(b.name(), store);
          opened.add(store);
        }
        context.addStateStore(store);
      }
    }
    Node node = new Node(name, (Processor<Object, Object, Object, Object>) supplier.get(), context);
    node.processor.init(context);
    for (String p : parents) {
      nodes.get(p).children.add(node);
    }
    nodes.put(name, node);
    return node;
  }

  private List<String> outputsOf(Op op) {
    List<String> names = built.get(op.id());
    if (names == null) {
      names = op.accept(this);
      built.put(op.id(), names);
    }
    return names;
  }

  private String[] parents(Op input) {
    return outputsOf(input).toArray(new String[0]);
  }

  /** The source operator a capture stage runs for {@code t} (keyed tables only here). */
  private static SourceOp captureOp(CapturedTable t) {
    return new SourceOp(0, io.trickle.compiler.plan.SqlPos.UNKNOWN, t.schema(), t.table(),
        t.columns(), t.key());
  }

  @Override
  public List<String> visitSource(SourceOp op) {
    add(op.name(), new CapturedSourceProcessorSupplier(op),
        new CapturedTable(op.schema(), op.table(), op.columns(), op.key()).processorName());
    return List.of(op.name());
  }

  @Override
  public List<String> visitFilter(FilterOp op) {
    add(op.name(), new FilterProcessorSupplier(op), parents(op.input()));
    return List.of(op.name());
  }

  @Override
  public List<String> visitProject(ProjectOp op) {
    add(op.name(), new ProjectProcessorSupplier(op), parents(op.input()));
    return List.of(op.name());
  }

  @Override
  public List<String> visitJoin(JoinOp op) {
    var joinStores = JoinProcessorSupplier.storesOf(op);
    String[] leftParents = parents(op.left());
    String[] rightParents = parents(op.right());
    String left = JoinProcessorSupplier.processorName(op, JoinProcessorSupplier.Side.LEFT);
    String right = JoinProcessorSupplier.processorName(op, JoinProcessorSupplier.Side.RIGHT);
    add(left, new JoinProcessorSupplier(op, JoinProcessorSupplier.Side.LEFT, joinStores), leftParents);
    add(right, new JoinProcessorSupplier(op, JoinProcessorSupplier.Side.RIGHT, joinStores), rightParents);
    return List.of(left, right);
  }

  @Override
  public List<String> visitAggregate(AggregateOp op) {
    add(op.name(), new AggregateProcessorSupplier(op), parents(op.input()));
    return List.of(op.name());
  }

  @Override
  public List<String> visitTopK(io.trickle.compiler.plan.TopKOp op) {
    throw notWired(op);
  }

  @Override
  public List<String> visitUnionAll(io.trickle.compiler.plan.UnionAllOp op) {
    throw notWired(op);
  }

  @Override
  public List<String> visitSetOperation(io.trickle.compiler.plan.SetOperationOp op) {
    throw notWired(op);
  }

  @Override
  public List<String> visitWindow(io.trickle.compiler.plan.WindowOp op) {
    throw notWired(op);
  }

  @Override
  public List<String> visitSetReturning(io.trickle.compiler.plan.SetReturningOp op) {
    throw notWired(op);
  }

  /** Only the operators the benchmarks measure are wired by hand. */
  private static UnsupportedOperationException notWired(io.trickle.compiler.plan.Op op) {
    return new UnsupportedOperationException(op.name() + ": the benchmark pipeline does not wire"
        + " this operator yet");
  }

  @Override
  public List<String> visitMaterialize(MaterializeOp op) {
    add(op.name(), new MaterializeProcessorSupplier(op), parents(op.input()));
    return List.of(op.name());
  }

  @Override
  public void close() {
    for (StateStore s : opened) {
      s.close();
    }
    try (Stream<Path> files = Files.walk(stateDir)) {
      files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
