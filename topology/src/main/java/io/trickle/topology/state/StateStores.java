package io.trickle.topology.state;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * All operator state is RocksDB {@code Bytes -> byte[]} with a changelog. Caching is off: every
 * operator reads its own writes immediately and forwards explicitly, so a cache only adds
 * memory and delays.
 */
public final class StateStores {
  /**
   * For in-process tests only: with this system property {@code true}, stores are sorted
   * in-memory maps (the same byte order as RocksDB), because TopologyTestDriver commits, and so
   * flushes every RocksDB memtable to a file, after each input record.
   */
  public static final String IN_MEMORY_PROPERTY = "trickle.test.in-memory-stores";

  private StateStores() {}

  public static StoreBuilder<KeyValueStore<Bytes, byte[]>> persistent(String name) {
    return Stores.keyValueStoreBuilder(Boolean.getBoolean(IN_MEMORY_PROPERTY)
        ? Stores.inMemoryKeyValueStore(name) : Stores.persistentKeyValueStore(name), Serdes.Bytes(),
        Serdes.ByteArray()).withCachingDisabled();
  }

  /**
   * A store with Kafka Streams' record cache ({@code statestore.cache.max.bytes}): for a buffer
   * whose entries are usually deleted soon after they are written, within one commit interval,
   * so that they never reach RocksDB or the changelog. Only for stores whose reader is the
   * processor that writes them (the cache is read-your-writes).
   */
  public static StoreBuilder<KeyValueStore<Bytes, byte[]>> cached(String name) {
    return Stores.keyValueStoreBuilder(Boolean.getBoolean(IN_MEMORY_PROPERTY)
        ? Stores.inMemoryKeyValueStore(name) : Stores.persistentKeyValueStore(name), Serdes.Bytes(),
        Serdes.ByteArray()).withCachingEnabled();
  }

  public static byte[] longBytes(long v) {
    return new ByteWriter(8).writeLong(v).toByteArray();
  }

  public static long readLong(byte[] bytes) {
    return new ByteReader(bytes).readLong();
  }
}
