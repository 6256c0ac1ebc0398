package io.trickle.topology.state;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * All operator state is RocksDB {@code Bytes -> byte[]} with a changelog. Caching is off for
 * operator state: every operator reads its own writes immediately and forwards explicitly, so a
 * cache only adds memory and delays. The aligner's buffer is the exception ({@link
 * #persistentCached}): most of what it writes is deleted again within the same commit.
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
   * Like {@link #persistent} but behind Kafka Streams' record cache: a key written and deleted
   * within one commit interval (an epoch the aligner buffers and releases at once) then never
   * reaches RocksDB or the changelog. Only for a store whose users never rely on a store
   * write being forwarded (the cache forwards nothing: no store here has a flush listener). The
   * application must give the cache memory ({@code statestore.cache.max.bytes}).
   */
  public static StoreBuilder<KeyValueStore<Bytes, byte[]>> persistentCached(String name) {
    return Stores.keyValueStoreBuilder(Boolean.getBoolean(IN_MEMORY_PROPERTY)
        ? Stores.inMemoryKeyValueStore(name) : Stores.persistentKeyValueStore(name), Serdes.Bytes(),
        Serdes.ByteArray()).withCachingEnabled();
  }

  /**
   * The store to iterate for {@code store}: its innermost byte store, below Kafka Streams'
   * metering and change-logging layers, when no record cache sits in between (so it holds every
   * write). Iterating the metered store adds a gauge to the store's metrics each time an iterator
   * opens with none open and removes it at close, and every metrics reporter is told both times:
   * that took a fifth to a half of a stream thread's time in join-heavy stream tables. Reads need
   * neither layer; writes still go through both.
   */
  @SuppressWarnings("unchecked")
  public static KeyValueStore<Bytes, byte[]> scans(KeyValueStore<Bytes, byte[]> store) {
    org.apache.kafka.streams.processor.StateStore s = store;
    while (s instanceof org.apache.kafka.streams.state.internals.WrappedStateStore<?, ?, ?> w) {
      if (s instanceof org.apache.kafka.streams.state.internals.CachingKeyValueStore) {
        return store;
      }
      s = w.wrapped();
    }
    return s instanceof KeyValueStore<?, ?> kv ? (KeyValueStore<Bytes, byte[]>) kv : store;
  }

  public static byte[] longBytes(long v) {
    return new ByteWriter(8).writeLong(v).toByteArray();
  }

  public static long readLong(byte[] bytes) {
    return new ByteReader(bytes).readLong();
  }
}
