package io.trickle.topology;

import io.trickle.compiler.plan.AggregateOp;
import io.trickle.compiler.plan.FilterOp;
import io.trickle.compiler.plan.JoinOp;
import io.trickle.compiler.plan.MaterializeOp;
import io.trickle.compiler.plan.Op;
import io.trickle.compiler.plan.OpVisitor;
import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.ProjectOp;
import io.trickle.compiler.plan.SetOperationOp;
import io.trickle.compiler.plan.SetReturningOp;
import io.trickle.compiler.plan.SourceOp;
import io.trickle.compiler.plan.TopKOp;
import io.trickle.compiler.plan.UnionAllOp;
import io.trickle.compiler.plan.WindowOp;
import io.trickle.topology.capture.CaptureTopology;
import io.trickle.topology.capture.CapturedTable;
import io.trickle.topology.processor.AggregateProcessorSupplier;
import io.trickle.topology.processor.CapturedSourceProcessorSupplier;
import io.trickle.topology.processor.ChangeTopicReadProcessorSupplier;
import io.trickle.topology.processor.AlignProcessorSupplier;
import io.trickle.topology.processor.AlignedOutputProcessorSupplier;
import io.trickle.topology.processor.DispatchProcessorSupplier;
import io.trickle.topology.processor.ExchangeProcessors;
import io.trickle.topology.processor.FilterProcessorSupplier;
import io.trickle.topology.processor.JoinProcessorSupplier;
import io.trickle.topology.processor.MaterializeProcessorSupplier;
import io.trickle.topology.processor.ProjectProcessorSupplier;
import io.trickle.topology.processor.SetOperationProcessorSupplier;
import io.trickle.topology.processor.SetReturningProcessorSupplier;
import io.trickle.topology.processor.SourceProcessorSupplier;
import io.trickle.topology.processor.TopKProcessorSupplier;
import io.trickle.topology.processor.UnionAllProcessorSupplier;
import io.trickle.topology.processor.UpstreamReadProcessorSupplier;
import io.trickle.topology.processor.WindowProcessorSupplier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;

/**
 * Turns a {@link Plan} into a Kafka Streams {@link Topology} of differential operators:
 * <pre>
 *   changes-&lt;table&gt; → changes-&lt;table&gt;-read → source-N → … operators … → materialize-N → materialize-N-sink
 * </pre>
 * A stream table reads the change topics of the captured tables its query reads, written by the
 * database's capture stage ({@link CaptureTopology}): binary Z-set changes and epoch markers, so
 * no JSON, and {@code source-N} keeps no copy of the table ({@link
 * CapturedSourceProcessorSupplier}). Every processor and store is named from {@code op.name()}
 * (stores: {@code Stateful.storeNames()}), or from the table for the change topic readers, so
 * adding an operator never renames another one's state or changelog.
 *
 * <p>The topology runs as ONE task: every topic it reads has a single partition (P = 1) and no
 * operator repartitions, so records between processors carry null keys. A keyed operator that
 * needs to scale out would add a named repartition topic here.
 *
 * <p>Each visit returns the names of the processors that emit the operator's output (two for a
 * join: one per input side). Plans can be DAGs, so results are memoized by operator id.
 */
public final class TopologyFactory implements OpVisitor<List<String>> {
  /** The Kafka source node reading Debezium's changes topic, in the capture stage. */
  public static final String SOURCE_NODE = DispatchProcessorSupplier.SOURCE_NODE;

  /**
   * How a stream table is spread over tasks.
   *
   * @param partitions P: partitions of the exchange topics and the output topic; with P > 1 every
   *     keyed operator gets its input through an exchange, so its state is split by key over P tasks
   * @param sourceTasks tasks of the first stage (the partitions of the topics it reads): the number
   *     of senders into the first exchanges
   * @param exchangeTopicPrefix exchange topic names are this prefix + the edge's name
   * @param alwaysExchange exchanges even at P = 1 (tests run every plan through them)
   */
  public record Settings(int partitions, int sourceTasks, String exchangeTopicPrefix, boolean alwaysExchange) {
    public static final Settings SINGLE_TASK = new Settings(1, 1, "", false);

    public Settings {
      if (partitions < 1 || sourceTasks < 1) {
        throw new IllegalArgumentException("partitions and source tasks must be at least 1");
      }
    }

    boolean exchanges() {
      return partitions > 1 || alwaysExchange;
    }
  }

  /** A built topology and the exchange topics it writes and reads (to be created with P partitions). */
  public record Built(Topology topology, List<String> exchangeTopics) {}

  private final Topology topology;
  private final Map<Integer, List<String>> built = new HashMap<>();
  private final MaterializeOp root;
  private final Settings settings;
  /** The plan reads another stream table's output topic (its first stage is not in lockstep). */
  private boolean readsStreamTable;
  private final List<String> exchangeTopics = new ArrayList<>();

  private TopologyFactory(Topology topology, MaterializeOp root, Settings settings) {
    this.topology = topology;
    this.root = root;
    this.settings = settings;
  }

  /**
   * The plan's topology TOGETHER with a capture stage of the tables it reads, as two
   * sub-topologies of one {@link Topology}: Debezium JSON in, the stream table's output out. For
   * tests, benchmarks and tools that run one stream table in one process; the runtime runs the
   * capture stage once per database and each stream table with {@link #buildStreamTable}.
   *
   * @param sourceTopic the Debezium change topic (byte[] JSON, schemas disabled)
   * @param outputTopic the stream table's output topic (byte[] JSON per the output contract)
   */
  public static Topology build(Plan plan, String sourceTopic, String outputTopic) {
    return build(plan, sourceTopic, Map.of(), outputTopic);
  }

  /**
   * Like {@link #build(Plan, String, String)}, for a plan whose sources may read other stream
   * tables ({@link SourceOp#upstream()}). The change topics between the two sub-topologies are
   * named {@link #inProcessChangeTopic}.
   *
   * @param sourceTopic the Debezium change topic; unused (may be null) if no source reads a
   *     captured table
   * @param upstreamTopics upstream stream table → its output topic, for every source that reads one
   */
  public static Topology build(Plan plan, String sourceTopic, Map<String, String> upstreamTopics,
      String outputTopic) {
    return build(plan, sourceTopic, upstreamTopics, outputTopic, Settings.SINGLE_TASK).topology();
  }

  /**
   * As {@link #build(Plan, String, Map, String)}, spread over {@link Settings#partitions()} tasks:
   * <pre>
   *   stage 0: sources → stateless operators → xchg-&lt;op&gt;-out → exchange topic ┐
   *   stage k: xchg-&lt;op&gt;-source → xchg-&lt;op&gt;-in → align-&lt;op&gt; → &lt;op&gt; → … ┘ (one stage per keyed operator)
   * </pre>
   * The materialize operator of task p writes to partition p of the output topic.
   */
  public static Built build(Plan plan, String sourceTopic, Map<String, String> upstreamTopics,
      String outputTopic, Settings settings) {
    Objects.requireNonNull(plan, "plan");
    Topology topology = new Topology();
    List<CapturedTable> tables = CapturedTable.of(List.of(plan));
    if (!tables.isEmpty()) {
      Objects.requireNonNull(sourceTopic, "sourceTopic");
      CaptureTopology.addTo(topology, sourceTopic, tables,
          t -> inProcessChangeTopic(sourceTopic, t.qualifiedName()));
    }
    return addStreamTable(topology, plan, table -> inProcessChangeTopic(sourceTopic, table),
        upstreamTopics, outputTopic, settings);
  }

  /** The change topic of {@code table} (schema.table) in {@link #build}'s combined topology. */
  public static String inProcessChangeTopic(String sourceTopic, String table) {
    return sourceTopic + "." + KafkaNames.of(table);
  }

  /**
   * A stream table's own topology, as the runtime runs it:
   * <pre>
   *   changes-&lt;t1&gt; → changes-&lt;t1&gt;-read → source-N ┐
   *   changes-&lt;t2&gt; → changes-&lt;t2&gt;-read → source-M ┤ (several inputs: align-source-N/M/K →
   *   upstream-B → upstream-B-read → source-K ───────┘  source-N-aligned / …) → …
   * </pre>
   * With more than one input topic (each captured table's change topic counts as one, each
   * upstream topic as one), the inputs' epochs are aligned before any operator sees them ({@link
   * AlignProcessorSupplier}).
   *
   * @param changeTopicOf {@code schema.table} of a captured table → its change topic
   * @param upstreamTopics upstream stream table → its output topic, for every source that reads one
   */
  public static Topology buildStreamTable(Plan plan, Function<String, String> changeTopicOf,
      Map<String, String> upstreamTopics, String outputTopic) {
    return buildStreamTable(plan, changeTopicOf, upstreamTopics, outputTopic, Settings.SINGLE_TASK).topology();
  }

  /** {@link #buildStreamTable(Plan, Function, Map, String)} spread over tasks as the settings say. */
  public static Built buildStreamTable(Plan plan, Function<String, String> changeTopicOf,
      Map<String, String> upstreamTopics, String outputTopic, Settings settings) {
    Objects.requireNonNull(plan, "plan");
    return addStreamTable(new Topology(), plan, changeTopicOf, upstreamTopics, outputTopic, settings);
  }

  private static Built addStreamTable(Topology topology, Plan plan,
      Function<String, String> changeTopicOf, Map<String, String> upstreamTopics, String outputTopic,
      Settings settings) {
    Objects.requireNonNull(upstreamTopics, "upstreamTopics");
    Objects.requireNonNull(outputTopic, "outputTopic");
    TopologyFactory factory = new TopologyFactory(topology, plan.root(), settings);
    factory.readsStreamTable = plan.sources().stream().anyMatch(SourceOp::readsStreamTable);
    Set<String> captured = new LinkedHashSet<>();
    Set<String> upstreams = new LinkedHashSet<>();
    for (SourceOp source : plan.sources()) {
      if (source.readsStreamTable()) {
        upstreams.add(source.upstream());
      } else {
        captured.add(source.qualifiedName());
      }
    }
    for (String table : captured) {
      String node = ChangeTopicReadProcessorSupplier.sourceName(table);
      topology.addSource(node, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
          Objects.requireNonNull(changeTopicOf.apply(table), "change topic of " + table));
      topology.addProcessor(ChangeTopicReadProcessorSupplier.processorName(table),
          new ChangeTopicReadProcessorSupplier(table), node);
    }
    for (String upstream : upstreams) {
      String topic = upstreamTopics.get(upstream);
      if (topic == null) {
        throw new IllegalArgumentException("no output topic given for upstream stream table " + upstream);
      }
      String node = UpstreamReadProcessorSupplier.sourceName(upstream);
      topology.addSource(node, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topic);
      topology.addProcessor(UpstreamReadProcessorSupplier.processorName(upstream),
          new UpstreamReadProcessorSupplier(upstream), node);
    }
    if (captured.size() + upstreams.size() > 1) {
      // Captured tables' change topics carry every epoch's marker (the capture stage writes each
      // to every table), so their aligners run in lockstep: nothing is buffered while the inputs
      // keep pace. An upstream stream table's output carries only the epochs it changed in.
      factory.align(plan.sources(), upstreams.isEmpty());
    }
    List<String> materialize = factory.outputsOf(plan.root());
    // The materialize operator of task p writes to partition p: its records and its markers, so
    // the sink closes an epoch once every partition has closed it.
    topology.addSink(sinkName(plan.root()), outputTopic, OutputKey.SERIALIZER,
        new ByteArraySerializer(), OutputKey.PARTITIONER, materialize.toArray(new String[0]));
    return new Built(topology, List.copyOf(factory.exchangeTopics));
  }


  /** Puts the aligner between the sources and everything that reads them. */
  private void align(List<SourceOp> sources, boolean lockstep) {
    List<String> outputs = new ArrayList<>();
    List<String> aligners = new ArrayList<>();
    for (SourceOp s : sources) {
      outputsOf(s);
      outputs.add(AlignProcessorSupplier.outputName(s.name()));
      aligners.add(AlignProcessorSupplier.processorName(s.name()));
    }
    var stores = AlignProcessorSupplier.newStores();
    for (int i = 0; i < sources.size(); i++) {
      AlignProcessorSupplier aligner = new AlignProcessorSupplier(i, outputs, stores);
      topology.addProcessor(aligners.get(i), lockstep ? aligner.lockstep() : aligner,
          sources.get(i).name());
    }
    for (int i = 0; i < sources.size(); i++) {
      topology.addProcessor(outputs.get(i), new AlignedOutputProcessorSupplier(),
          aligners.toArray(new String[0]));
      built.put(sources.get(i).id(), List.of(outputs.get(i)));
    }
  }

  public static String sinkName(MaterializeOp op) {
    return op.name() + "-sink";
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

  private <KO, VO> void addOperator(String name,
      org.apache.kafka.streams.processor.api.ProcessorSupplier<Object, io.trickle.topology.processor.Msg, KO, VO> supplier,
      String... parents) {
    topology.addProcessor(name, io.trickle.topology.processor.MarkerAlignment.expectFrom(supplier, parents.length), parents);
  }

  /** Stage 0 reads the source topics; each exchange starts a stage of {@code partitions} tasks. */
  private final Map<Integer, Integer> stageOf = new HashMap<>();
  private int stages = 1;

  private int stage(Op op) {
    outputsOf(op);
    return stageOf.getOrDefault(op.id(), 0);
  }

  private int tasks(int stage) {
    return stage == 0 ? settings.sourceTasks() : settings.partitions();
  }

  /**
   * The inputs of {@code op}, through exchanges if the settings ask for them: per input, the
   * names of the nodes its processor attaches to. With exchanges, {@code op} starts a new stage:
   * per input {@code edge = op.name() + suffixes[i]}, {@code xchg-<edge>-out} (partition key
   * {@code keys[i]}) → topic {@code prefix + edge} → {@code xchg-<edge>-in} → {@code align-<edge>}
   * (store {@code align-<op>-buffer}, aligning every sender of every input) → {@code <edge>-aligned}.
   */
  private List<String[]> inputsOf(Op op, List<Op> inputs, List<ExchangeProcessors.KeyColumns> keys,
      List<String> suffixes) {
    List<String[]> direct = new ArrayList<>();
    for (Op input : inputs) {
      direct.add(parents(input));
    }
    if (!settings.exchanges()) {
      return direct;
    }
    List<String> outputs = new ArrayList<>();
    List<String> aligners = new ArrayList<>();
    int[] senders = new int[inputs.size()];
    for (int i = 0; i < inputs.size(); i++) {
      String edge = op.name() + suffixes.get(i);
      String topic = settings.exchangeTopicPrefix() + edge;
      exchangeTopics.add(topic);
      String out = "xchg-" + edge + "-out";
      addOperator(out, ExchangeProcessors.out(keys.get(i)), direct.get(i));
      topology.addSink("xchg-" + edge + "-sink", topic, new ByteArraySerializer(), new ByteArraySerializer(),
          ExchangeProcessors.partitioner(), out);
      topology.addSource("xchg-" + edge + "-source", new ByteArrayDeserializer(), new ByteArrayDeserializer(), topic);
      topology.addProcessor("xchg-" + edge + "-in", ExchangeProcessors.in(), "xchg-" + edge + "-source");
      senders[i] = tasks(stage(inputs.get(i)));
      outputs.add(edge + "-aligned");
      aligners.add("align-" + edge);
    }
    // Every sender forwards every marker it sees; the tasks of a stage see the same markers unless
    // it is a first stage reading another stream table's output (whose partitions carry only the
    // markers of epochs their task emitted in).
    boolean lockstep = true;
    for (Op input : inputs) {
      lockstep &= stage(input) != 0 || !readsStreamTable;
    }
    String store = "align-" + op.name() + "-buffer";
    var stores = AlignProcessorSupplier.newStores(store);
    for (int i = 0; i < inputs.size(); i++) {
      AlignProcessorSupplier aligner = new AlignProcessorSupplier(i, outputs, stores, store, senders);
      topology.addProcessor(aligners.get(i), lockstep ? aligner.lockstep() : aligner,
          "xchg-" + op.name() + suffixes.get(i) + "-in");
    }
    List<String[]> aligned = new ArrayList<>();
    for (String output : outputs) {
      topology.addProcessor(output, new AlignedOutputProcessorSupplier(), aligners.toArray(new String[0]));
      aligned.add(new String[] {output});
    }
    stageOf.put(op.id(), stages++);
    return aligned;
  }

  private String[] inputOf(Op op, Op input, ExchangeProcessors.KeyColumns key) {
    return inputsOf(op, List.of(input), List.of(key), List.of("")).get(0);
  }

  /** A stateless operator runs in its input's stage. */
  private void sameStage(Op op, Op input) {
    stageOf.put(op.id(), stage(input));
  }

  private static List<Integer> allColumns(Op op) {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < op.columns().size(); i++) {
      all.add(i);
    }
    return all;
  }

  /** The group columns every grouping set has: rows of one group of any set then meet in one task. */
  private static List<Integer> commonGroupColumns(AggregateOp op) {
    List<Integer> common = null;
    for (List<Integer> set : op.groupSets()) {
      List<Integer> columns = new ArrayList<>();
      for (int index : set) {
        columns.add(op.groupKeys().get(index));
      }
      if (common == null) {
        common = columns;
      } else {
        common.retainAll(columns);
      }
    }
    return common == null ? List.copyOf(op.groupKeys()) : common;
  }

  @Override
  public List<String> visitSource(SourceOp op) {
    if (op.readsStreamTable()) {
      topology.addProcessor(op.name(), new SourceProcessorSupplier(op),
          UpstreamReadProcessorSupplier.processorName(op.upstream()));
    } else {
      topology.addProcessor(op.name(), new CapturedSourceProcessorSupplier(op),
          ChangeTopicReadProcessorSupplier.processorName(op.qualifiedName()));
    }
    return List.of(op.name());
  }

  @Override
  public List<String> visitFilter(FilterOp op) {
    addOperator(op.name(), new FilterProcessorSupplier(op), parents(op.input()));
    sameStage(op, op.input());
    return List.of(op.name());
  }

  @Override
  public List<String> visitProject(ProjectOp op) {
    addOperator(op.name(), new ProjectProcessorSupplier(op), parents(op.input()));
    sameStage(op, op.input());
    return List.of(op.name());
  }

  @Override
  public List<String> visitJoin(JoinOp op) {
    var stores = JoinProcessorSupplier.storesOf(op);
    List<String[]> in = inputsOf(op, List.of(op.left(), op.right()), List.of(
        ExchangeProcessors.KeyColumns.of(op.leftKeys()), ExchangeProcessors.KeyColumns.of(op.rightKeys())),
        List.of(JoinProcessorSupplier.Side.LEFT.suffix(), JoinProcessorSupplier.Side.RIGHT.suffix()));
    String[] leftParents = in.get(0);
    String[] rightParents = in.get(1);
    String left = JoinProcessorSupplier.processorName(op, JoinProcessorSupplier.Side.LEFT);
    String right = JoinProcessorSupplier.processorName(op, JoinProcessorSupplier.Side.RIGHT);
    addOperator(left, new JoinProcessorSupplier(op, JoinProcessorSupplier.Side.LEFT, stores), leftParents);
    addOperator(right, new JoinProcessorSupplier(op, JoinProcessorSupplier.Side.RIGHT, stores), rightParents);
    return List.of(left, right);
  }

  @Override
  public List<String> visitAggregate(AggregateOp op) {
    addOperator(op.name(), new AggregateProcessorSupplier(op),
        inputOf(op, op.input(), ExchangeProcessors.KeyColumns.of(commonGroupColumns(op))));
    return List.of(op.name());
  }

  @Override
  public List<String> visitTopK(TopKOp op) {
    addOperator(op.name(), new TopKProcessorSupplier(op),
        inputOf(op, op.input(), ExchangeProcessors.KeyColumns.of(op.partitionKeys())));
    return List.of(op.name());
  }

  /** One pass-through processor per input, so an input used twice is summed twice. */
  @Override
  public List<String> visitUnionAll(UnionAllOp op) {
    java.util.Set<Integer> inputStages = new java.util.HashSet<>();
    for (Op input : op.inputs()) {
      inputStages.add(stage(input));
    }
    List<String[]> in;
    if (inputStages.size() > 1 && settings.exchanges()) {
      // Inputs from different stages (task counts, marker paths) meet only through exchanges.
      List<ExchangeProcessors.KeyColumns> keys = new ArrayList<>();
      List<String> suffixes = new ArrayList<>();
      for (int i = 0; i < op.inputs().size(); i++) {
        keys.add(ExchangeProcessors.KeyColumns.ofRowHash());
        suffixes.add("-" + i);
      }
      in = inputsOf(op, op.inputs(), keys, suffixes);
    } else {
      in = new ArrayList<>();
      for (Op input : op.inputs()) {
        in.add(parents(input));
      }
      sameStage(op, op.inputs().get(0));
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < op.inputs().size(); i++) {
      String name = UnionAllProcessorSupplier.processorName(op, i);
      addOperator(name, new UnionAllProcessorSupplier(op, i), in.get(i));
      names.add(name);
    }
    return names;
  }

  /** One processor per input, sharing the counts store (like the two sides of a join). */
  @Override
  public List<String> visitSetOperation(SetOperationOp op) {
    var stores = SetOperationProcessorSupplier.storesOf(op);
    List<ExchangeProcessors.KeyColumns> keys = new ArrayList<>();
    List<String> suffixes = new ArrayList<>();
    for (int i = 0; i < op.inputs().size(); i++) {
      keys.add(ExchangeProcessors.KeyColumns.of(allColumns(op.inputs().get(i))));
      suffixes.add("-" + i);
    }
    List<String[]> in = inputsOf(op, op.inputs(), keys, suffixes);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < op.inputs().size(); i++) {
      String name = SetOperationProcessorSupplier.processorName(op, i);
      addOperator(name, new SetOperationProcessorSupplier(op, i, stores), in.get(i));
      names.add(name);
    }
    return names;
  }

  public List<String> visitWindow(WindowOp op) {
    addOperator(op.name(), new WindowProcessorSupplier(op),
        inputOf(op, op.input(), ExchangeProcessors.KeyColumns.of(op.partitionKeys())));
    return List.of(op.name());
  }

  @Override
  public List<String> visitSetReturning(SetReturningOp op) {
    addOperator(op.name(), new SetReturningProcessorSupplier(op), parents(op.input()));
    sameStage(op, op.input());
    return List.of(op.name());
  }

  @Override
  public List<String> visitMaterialize(MaterializeOp op) {
    if (op != root) {
      throw new IllegalArgumentException(op.name() + " at " + op.pos()
          + ": a materialize operator can only be the root of a plan");
    }
    addOperator(op.name(), new MaterializeProcessorSupplier(op), inputOf(op, op.input(),
        op.key().unique() ? ExchangeProcessors.KeyColumns.of(op.key().columns())
            : ExchangeProcessors.KeyColumns.ofRowHash()));
    return List.of(op.name());
  }
}
