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
  private StateStores() {}

  public static StoreBuilder<KeyValueStore<Bytes, byte[]>> persistent(String name) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(),
        Serdes.ByteArray()).withCachingDisabled();
  }

  public static byte[] longBytes(long v) {
    return new ByteWriter(8).writeLong(v).toByteArray();
  }

  public static long readLong(byte[] bytes) {
    return new ByteReader(bytes).readLong();
  }
}
