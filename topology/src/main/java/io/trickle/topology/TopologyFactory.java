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
import io.trickle.topology.processor.AggregateProcessorSupplier;
import io.trickle.topology.processor.AlignProcessorSupplier;
import io.trickle.topology.processor.AlignedOutputProcessorSupplier;
import io.trickle.topology.processor.DispatchProcessorSupplier;
import io.trickle.topology.processor.FilterProcessorSupplier;
import io.trickle.topology.processor.JoinProcessorSupplier;
import io.trickle.topology.processor.MaterializeProcessorSupplier;
import io.trickle.topology.processor.ProjectProcessorSupplier;
import io.trickle.topology.processor.KeylessSourceProcessorSupplier;
import io.trickle.topology.processor.SetOperationProcessorSupplier;
import io.trickle.topology.processor.SetReturningProcessorSupplier;
import io.trickle.topology.processor.SourceProcessorSupplier;
import io.trickle.topology.processor.TopKProcessorSupplier;
import io.trickle.topology.processor.UnionAllProcessorSupplier;
import io.trickle.topology.processor.UpstreamReadProcessorSupplier;
import io.trickle.topology.processor.WindowProcessorSupplier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;

/**
 * Turns a {@link Plan} into a Kafka Streams {@link Topology} of differential operators:
 * <pre>
 *   debezium-source → debezium-dispatch → source-N → … operators … → materialize-N → materialize-N-sink
 * </pre>
 * Every processor and store is named from {@code op.name()} (stores: {@code Stateful.storeNames()}),
 * so adding an operator never renames another one's state or changelog.
 *
 * <p>The topology runs as ONE task: the source topic has a single partition (Debezium's commit
 * order must stay total) and no operator repartitions, so records between processors carry null
 * keys. A keyed operator that needs to scale out would add a named repartition topic here.
 *
 * <p>Each visit returns the names of the processors that emit the operator's output (two for a
 * join: one per input side). Plans can be DAGs, so results are memoized by operator id.
 */
public final class TopologyFactory implements OpVisitor<List<String>> {
  public static final String SOURCE_NODE = "debezium-source";

  private final Topology topology = new Topology();
  private final Map<Integer, List<String>> built = new HashMap<>();
  private final MaterializeOp root;

  private TopologyFactory(MaterializeOp root) {
    this.root = root;
  }

  /**
   * @param sourceTopic the Debezium change topic (byte[] JSON, schemas disabled)
   * @param outputTopic the stream table's output topic (byte[] JSON per the output contract)
   */
  public static Topology build(Plan plan, String sourceTopic, String outputTopic) {
    return build(plan, sourceTopic, Map.of(), outputTopic);
  }

  /**
   * A plan whose sources may read other stream tables ({@link SourceOp#upstream()}):
   * <pre>
   *   debezium-source → debezium-dispatch → source-N ┐
   *   upstream-B → upstream-B-read → source-M ───────┤ (several inputs: align-source-N/M →
   *                                                  ┘  source-N-aligned / source-M-aligned) → …
   * </pre>
   * With more than one input (the changes topic counts as one, each upstream topic as one), the
   * inputs' epochs are aligned before any operator sees them ({@link AlignProcessorSupplier}).
   *
   * @param sourceTopic the Debezium change topic; unused (may be null) if no source reads a
   *     captured table
   * @param upstreamTopics upstream stream table → its output topic, for every source that reads one
   */
  public static Topology build(Plan plan, String sourceTopic, Map<String, String> upstreamTopics,
      String outputTopic) {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(upstreamTopics, "upstreamTopics");
    Objects.requireNonNull(outputTopic, "outputTopic");
    TopologyFactory factory = new TopologyFactory(plan.root());
    Map<String, List<String>> routes = new LinkedHashMap<>();
    Map<String, List<String>> upstreams = new LinkedHashMap<>();
    for (SourceOp source : plan.sources()) {
      if (source.readsStreamTable()) {
        upstreams.computeIfAbsent(source.upstream(), t -> new ArrayList<>()).add(source.name());
      } else {
        routes.computeIfAbsent(source.qualifiedName(), t -> new ArrayList<>()).add(source.name());
      }
    }
    if (!routes.isEmpty()) {
      Objects.requireNonNull(sourceTopic, "sourceTopic");
      factory.topology.addSource(SOURCE_NODE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), sourceTopic);
      factory.topology.addProcessor(DispatchProcessorSupplier.NAME, new DispatchProcessorSupplier(routes), SOURCE_NODE);
    }
    for (String upstream : upstreams.keySet()) {
      String topic = upstreamTopics.get(upstream);
      if (topic == null) {
        throw new IllegalArgumentException("no output topic given for upstream stream table " + upstream);
      }
      String node = UpstreamReadProcessorSupplier.sourceName(upstream);
      factory.topology.addSource(node, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topic);
      factory.topology.addProcessor(UpstreamReadProcessorSupplier.processorName(upstream),
          new UpstreamReadProcessorSupplier(upstream), node);
    }
    int inputs = (routes.isEmpty() ? 0 : 1) + upstreams.size();
    if (inputs > 1) {
      factory.align(plan.sources());
    }
    List<String> materialize = factory.outputsOf(plan.root());
    factory.topology.addSink(sinkName(plan.root()), outputTopic, new ByteArraySerializer(),
        new ByteArraySerializer(), materialize.toArray(new String[0]));
    return factory.topology;
  }

  /** Puts the aligner between the sources and everything that reads them. */
  private void align(List<SourceOp> sources) {
    List<String> outputs = new ArrayList<>();
    List<String> aligners = new ArrayList<>();
    for (SourceOp s : sources) {
      outputsOf(s);
      outputs.add(AlignProcessorSupplier.outputName(s.name()));
      aligners.add(AlignProcessorSupplier.processorName(s.name()));
    }
    var stores = AlignProcessorSupplier.newStores();
    for (int i = 0; i < sources.size(); i++) {
      topology.addProcessor(aligners.get(i), new AlignProcessorSupplier(i, outputs, stores),
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

  @Override
  public List<String> visitSource(SourceOp op) {
    String parent = op.readsStreamTable() ? UpstreamReadProcessorSupplier.processorName(op.upstream())
        : DispatchProcessorSupplier.NAME;
    topology.addProcessor(op.name(), op.key().unique() || op.readsStreamTable()
        ? new SourceProcessorSupplier(op) : new KeylessSourceProcessorSupplier(op), parent);
    return List.of(op.name());
  }

  @Override
  public List<String> visitFilter(FilterOp op) {
    addOperator(op.name(), new FilterProcessorSupplier(op), parents(op.input()));
    return List.of(op.name());
  }

  @Override
  public List<String> visitProject(ProjectOp op) {
    addOperator(op.name(), new ProjectProcessorSupplier(op), parents(op.input()));
    return List.of(op.name());
  }

  @Override
  public List<String> visitJoin(JoinOp op) {
    var stores = JoinProcessorSupplier.storesOf(op);
    String[] leftParents = parents(op.left());
    String[] rightParents = parents(op.right());
    String left = JoinProcessorSupplier.processorName(op, JoinProcessorSupplier.Side.LEFT);
    String right = JoinProcessorSupplier.processorName(op, JoinProcessorSupplier.Side.RIGHT);
    addOperator(left, new JoinProcessorSupplier(op, JoinProcessorSupplier.Side.LEFT, stores), leftParents);
    addOperator(right, new JoinProcessorSupplier(op, JoinProcessorSupplier.Side.RIGHT, stores), rightParents);
    return List.of(left, right);
  }

  @Override
  public List<String> visitAggregate(AggregateOp op) {
    addOperator(op.name(), new AggregateProcessorSupplier(op), parents(op.input()));
    return List.of(op.name());
  }

  @Override
  public List<String> visitTopK(TopKOp op) {
    addOperator(op.name(), new TopKProcessorSupplier(op), parents(op.input()));
    return List.of(op.name());
  }

  /** One pass-through processor per input, so an input used twice is summed twice. */
  @Override
  public List<String> visitUnionAll(UnionAllOp op) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < op.inputs().size(); i++) {
      String name = UnionAllProcessorSupplier.processorName(op, i);
      addOperator(name, new UnionAllProcessorSupplier(op, i), parents(op.inputs().get(i)));
      names.add(name);
    }
    return names;
  }

  /** One processor per input, sharing the counts store (like the two sides of a join). */
  @Override
  public List<String> visitSetOperation(SetOperationOp op) {
    var stores = SetOperationProcessorSupplier.storesOf(op);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < op.inputs().size(); i++) {
      String name = SetOperationProcessorSupplier.processorName(op, i);
      addOperator(name, new SetOperationProcessorSupplier(op, i, stores), parents(op.inputs().get(i)));
      names.add(name);
    }
    return names;
  }

  public List<String> visitWindow(WindowOp op) {
    addOperator(op.name(), new WindowProcessorSupplier(op), parents(op.input()));
    return List.of(op.name());
  }

  @Override
  public List<String> visitSetReturning(SetReturningOp op) {
    addOperator(op.name(), new SetReturningProcessorSupplier(op), parents(op.input()));
    return List.of(op.name());
  }

  @Override
  public List<String> visitMaterialize(MaterializeOp op) {
    if (op != root) {
      throw new IllegalArgumentException(op.name() + " at " + op.pos()
          + ": a materialize operator can only be the root of a plan");
    }
    addOperator(op.name(), new MaterializeProcessorSupplier(op), parents(op.input()));
    return List.of(op.name());
  }
}
