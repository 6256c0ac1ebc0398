package io.trickle.topology;

import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * The key of a record for a stream table's output topic, with the partition it goes to: the
 * partition of the materialize task that emits it (that task owns the record's key, and its
 * markers close epochs in that partition only).
 *
 * @param bytes the record key as the output topic contract writes it (JSON)
 */
public record OutputKey(byte[] bytes, int partition) {
  public static final Serializer<OutputKey> SERIALIZER = (topic, key) -> key == null ? null : key.bytes();

  public static final StreamPartitioner<OutputKey, byte[]> PARTITIONER = (topic, key, value, partitions) -> {
    if (key.partition() >= partitions) {
      throw new IllegalStateException("output topic " + topic + " has " + partitions
          + " partitions, fewer than the stream table's tasks (" + (key.partition() + 1) + "+)");
    }
    return Optional.of(Set.of(key.partition()));
  };
}
