package io.trickle.topology;

import io.trickle.topology.processor.MsgCodec;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * How trickle spreads records over the P partitions of its topics: one function for every topic
 * (per-table change topics now, repartition topics of keyed operators later), so two topics
 * keyed by the same bytes put a key in the same partition and a task sees both sides of it.
 *
 * <p>A record is keyed by its encoded key (a {@code KeyCodec} primary key, or a row hash for a
 * table without one) and goes to {@code murmur2(key) mod P}, the same as Kafka's default
 * partitioner for a keyed record, so a plain producer agrees. An epoch marker and an error
 * belong to no key: they are multicast to every partition, so every reader of every partition
 * sees every epoch boundary (and every error).
 */
public final class Partitioning {
  private Partitioning() {}

  /** The partition of {@code key} among {@code partitions}. */
  public static int partition(byte[] key, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1: " + partitions);
    }
    return Utils.toPositive(Utils.murmur2(key)) % partitions;
  }

  /**
   * The application config that tells operators into how many tasks their stage is split (P):
   * an operator whose output exists without input (a global aggregate's row) emits it only in the
   * task that owns its key.
   */
  public static final String CONFIG = "trickle.partitions";

  /** {@link #CONFIG} of the application's configs; 1 when absent. */
  public static int configured(java.util.Map<String, Object> appConfigs) {
    Object v = appConfigs.get(CONFIG);
    return v == null ? 1 : Integer.parseInt(v.toString());
  }

  /** Every partition: where a marker or an error goes. */
  public static Set<Integer> all(int partitions) {
    return IntStream.range(0, partitions).boxed().collect(Collectors.toUnmodifiableSet());
  }

  /**
   * The partitioner of a topic whose values are {@link MsgCodec} messages: a change goes to its
   * key's partition, a marker or an error to every partition.
   */
  public static StreamPartitioner<byte[], byte[]> msgPartitioner() {
    return new MsgPartitioner();
  }

  private static final class MsgPartitioner implements StreamPartitioner<byte[], byte[]> {
    @Override
    public Optional<Set<Integer>> partitions(String topic, byte[] key, byte[] value, int numPartitions) {
      if (key == null || value == null || MsgCodec.tag(value) != MsgCodec.CHANGE) {
        return Optional.of(all(numPartitions));
      }
      return Optional.of(Set.of(partition(key, numPartitions)));
    }
  }
}
