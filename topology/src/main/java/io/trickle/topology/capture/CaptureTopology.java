package io.trickle.topology.capture;

import io.trickle.topology.Partitioning;
import io.trickle.topology.processor.DispatchProcessorSupplier;
import io.trickle.topology.processor.KeylessSourceProcessorSupplier;
import io.trickle.topology.processor.SourceProcessorSupplier;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;

/**
 * The capture stage of one source database: reads Debezium's ordered changes topic ONCE and
 * publishes every captured table's Z-set changes to the table's own change topic.
 * <pre>
 *   debezium-source → debezium-dispatch ─┬→ capture-&lt;t1&gt; → capture-&lt;t1&gt;-encode → capture-&lt;t1&gt;-sink → change topic of t1
 *                                         └→ capture-&lt;t2&gt; → …
 * </pre>
 * The dispatcher parses each record's JSON (the only JSON parse of a change), skips Debezium's
 * replays, and closes epochs with markers ({@link DispatchProcessorSupplier}); each table's
 * source operator keeps primary key → current row (row hash → count for a keyless table) in
 * {@code capture-<t>-rows}, the only copy of the table's rows, and turns each event into
 * −old/+new, TOAST filled and TRUNCATE expanded ({@link SourceProcessorSupplier}, {@link
 * KeylessSourceProcessorSupplier}). Every marker reaches every table's topic, in every
 * partition ({@link Partitioning#msgPartitioner()}), with its {@code seq} (the offset of the
 * transaction END or heartbeat in the changes topic) unchanged; an error on a table (a value
 * that does not fit its column) becomes an error record in that table's topic.
 */
public final class CaptureTopology {
  private CaptureTopology() {}

  /** A topology holding only the capture stage. */
  public static Topology build(String changesTopic, Collection<CapturedTable> tables,
      Function<CapturedTable, String> changeTopicOf) {
    Topology topology = new Topology();
    addTo(topology, changesTopic, tables, changeTopicOf);
    return topology;
  }

  /**
   * Adds the capture stage to {@code topology} (a sub-topology of its own: it shares no node with
   * what reads its topics).
   *
   * @param changesTopic Debezium's change topic of the database (byte[] JSON, schemas disabled)
   * @param changeTopicOf each table's change topic
   */
  public static void addTo(Topology topology, String changesTopic, Collection<CapturedTable> tables,
      Function<CapturedTable, String> changeTopicOf) {
    Objects.requireNonNull(changesTopic, "changesTopic");
    if (tables.isEmpty()) {
      throw new IllegalArgumentException("a capture stage needs at least one table");
    }
    Map<String, List<String>> routes = new LinkedHashMap<>();
    for (CapturedTable t : tables) {
      if (routes.put(t.qualifiedName(), List.of(t.processorName())) != null) {
        throw new IllegalArgumentException("table " + t.qualifiedName() + " captured twice");
      }
    }
    topology.addSource(DispatchProcessorSupplier.SOURCE_NODE, new ByteArrayDeserializer(),
        new ByteArrayDeserializer(), changesTopic);
    topology.addProcessor(DispatchProcessorSupplier.NAME, new DispatchProcessorSupplier(routes),
        DispatchProcessorSupplier.SOURCE_NODE);
    for (CapturedTable t : tables) {
      topology.addProcessor(t.processorName(), t.keyed()
          ? new SourceProcessorSupplier(t.sourceOp(), t.processorName(), t.storeName())
          : new KeylessSourceProcessorSupplier(t.sourceOp(), t.processorName(), t.storeName()),
          DispatchProcessorSupplier.NAME);
      topology.addProcessor(t.encoderName(), new CaptureEncodeProcessorSupplier(t),
          t.processorName());
      topology.addSink(t.sinkName(), changeTopicOf.apply(t), new ByteArraySerializer(),
          new ByteArraySerializer(), Partitioning.msgPartitioner(), t.encoderName());
    }
  }
}
