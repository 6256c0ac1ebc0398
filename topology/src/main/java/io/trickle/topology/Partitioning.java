package io.trickle.topology;

import org.apache.kafka.common.utils.Utils;

/**
 * The one function that places a key in a partition, for every topic trickle writes by key
 * (change topics, exchange topics between the stages of a stream table, output topics): the
 * murmur2 hash of the key's {@link io.trickle.topology.state.KeyCodec} bytes modulo the partition
 * count, which is also what Kafka's default partitioner does with those bytes. Two operators keyed
 * by SQL-equal values therefore always meet in the same partition, whatever topic carried them.
 */
public final class Partitioning {
  private Partitioning() {}

  public static int partition(byte[] key, int partitions) {
    if (partitions <= 1) {
      return 0;
    }
    return Utils.toPositive(Utils.murmur2(key)) % partitions;
  }
}
