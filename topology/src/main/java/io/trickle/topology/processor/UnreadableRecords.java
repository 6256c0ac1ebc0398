package io.trickle.topology.processor;

import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;

/** How a reader of a topic skips a record it cannot read: counted as poison, logged with where it is. */
final class UnreadableRecords {
  private UnreadableRecords() {}

  /**
   * @param reader the reading processor's name
   * @param of what the topic holds, e.g. {@code stream table b}
   */
  static void skip(Logger log, ProcessorContext<?, ?> context, Sensor poison, String reader, String of,
      String cause) {
    poison.record();
    RecordMetadata meta = context.recordMetadata().orElse(null);
    log.warn("{}: skipping unreadable record of {} at topic {} partition {} offset {}: {}",
        reader, of, meta == null ? "?" : meta.topic(), meta == null ? -1 : meta.partition(),
        meta == null ? -1 : meta.offset(), cause);
  }
}
