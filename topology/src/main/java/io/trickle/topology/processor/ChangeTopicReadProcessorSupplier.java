package io.trickle.topology.processor;

import io.trickle.topology.KafkaNames;
import io.trickle.topology.TrickleMetrics;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one captured table's change topic (written by the capture stage, {@link
 * io.trickle.topology.capture.CaptureTopology}) in a stream table's topology: decodes each
 * {@link MsgCodec} record and forwards the change, marker or error to the source operators of
 * the table ({@link CapturedSourceProcessorSupplier}). No JSON, no state.
 */
public final class ChangeTopicReadProcessorSupplier
    implements ProcessorSupplier<byte[], byte[], Object, Msg> {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeTopicReadProcessorSupplier.class);

  private final String table;

  /** @param table {@code schema.table} of the captured table */
  public ChangeTopicReadProcessorSupplier(String table) {
    this.table = table;
  }

  /** The Kafka source node reading the table's change topic. */
  public static String sourceName(String table) {
    return "changes-" + KafkaNames.of(table);
  }

  public static String processorName(String table) {
    return sourceName(table) + "-read";
  }

  @Override
  public Processor<byte[], byte[], Object, Msg> get() {
    return new Processor<>() {
      private final String name = processorName(table);
      private ProcessorContext<Object, Msg> context;
      private Sensor poison;

      @Override
      public void init(ProcessorContext<Object, Msg> context) {
        this.context = context;
        this.poison = TrickleMetrics.poisonRecords(context.metrics(), name);
      }

      @Override
      public void process(Record<byte[], byte[]> record) {
        Msg msg;
        try {
          msg = MsgCodec.decode(record.value());
        } catch (RuntimeException e) {
          UnreadableRecords.skip(LOG, context, poison, name, table, e.toString());
          return;
        }
        context.forward(new Record<>(null, msg, record.timestamp(), new RecordHeaders()));
      }
    };
  }
}
