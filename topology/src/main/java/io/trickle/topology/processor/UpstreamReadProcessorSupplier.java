package io.trickle.topology.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trickle.compiler.expr.EvalException;
import io.trickle.topology.TrickleMetrics;
import java.util.Iterator;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads another stream table's output topic (its changelog) and speaks to the source operators
 * that read it as the dispatcher does for captured tables:
 * <ul>
 *   <li>a data record becomes an upsert ({@code u}) whose image is the key and value merged, so
 *       it holds the target table's primary key columns, including the {@code __trickle_key}
 *       (hash:ordinal) of a row-hash table, whose every copy of a row is a row of its own;
 *   <li>a tombstone becomes a delete ({@code d}) of the key;
 *   <li>a marker record becomes a {@link Msg.Marker} with the upstream's seq, LSN and time: the
 *       downstream inherits the upstream's epochs;
 *   <li>an error record becomes an error note, so the downstream is marked errored too.
 * </ul>
 * A single-row upstream's key is {@code {}}; its target table's primary key is the constant
 * {@code __trickle_key = 1}, which is added here.
 */
public final class UpstreamReadProcessorSupplier implements ProcessorSupplier<byte[], byte[], Object, Msg> {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamReadProcessorSupplier.class);

  private final String upstream;

  /** @param upstream the stream table whose output topic this reads */
  public UpstreamReadProcessorSupplier(String upstream) {
    this.upstream = upstream;
  }

  /** The Kafka source node reading the upstream's output topic. */
  public static String sourceName(String upstream) {
    return "upstream-" + upstream;
  }

  public static String processorName(String upstream) {
    return sourceName(upstream) + "-read";
  }

  @Override
  public Processor<byte[], byte[], Object, Msg> get() {
    return new UpstreamReadProcessor();
  }

  private final class UpstreamReadProcessor implements Processor<byte[], byte[], Object, Msg> {
    private final String name = processorName(upstream);
    private ProcessorContext<Object, Msg> context;
    private Sensor poison;

    @Override
    public void init(ProcessorContext<Object, Msg> context) {
      this.context = context;
      this.poison = TrickleMetrics.poisonRecords(context.metrics(), name);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
      try {
        if (has(record.headers(), OutputRecords.MARKER_HEADER)) {
          JsonNode m = OutputRecords.parse(record.value());
          forward(record, new Msg.Marker(m.path("seq").asLong(), m.path("lsn").asLong(),
              m.path("ts_ms").asLong()));
        } else if (has(record.headers(), OutputRecords.ERROR_HEADER)) {
          JsonNode e = OutputRecords.parse(record.value());
          forward(record, new Msg.ErrorNote(name, "", e.path("sqlstate").asText("XX000"),
              "upstream stream table " + upstream + ": " + e.path("message").asText(), Map.of()));
        } else {
          data(record);
        }
      } catch (EvalException e) {
        UnreadableRecords.skip(LOG, context, poison, name, "stream table " + upstream, e.getMessage());
      }
    }

    private void data(Record<byte[], byte[]> record) {
      JsonNode key = OutputRecords.parse(record.key());
      if (key == null || !key.isObject()) {
        throw new EvalException("22P02", "a data record without a JSON object key");
      }
      ObjectNode image = (ObjectNode) key.deepCopy();
      if (image.isEmpty()) {
        image.put(OutputRecords.ROW_HASH_KEY, 1); // single-row table: its constant primary key
      }
      JsonNode value = OutputRecords.parse(record.value());
      if (value == null) {
        forward(record, new Msg.SourceEvent("d", image, null));
        return;
      }
      if (!value.isObject()) {
        throw new EvalException("22P02", "a data record whose value is not a JSON object");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        image.set(f.getKey(), f.getValue());
      }
      forward(record, new Msg.SourceEvent("u", null, image));
    }

    private void forward(Record<byte[], byte[]> record, Msg msg) {
      context.forward(new Record<>(null, msg, record.timestamp(), new RecordHeaders()));
    }
  }

  private static boolean has(Headers headers, String name) {
    return headers.lastHeader(name) != null;
  }
}
