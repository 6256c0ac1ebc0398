package io.trickle.topology.state;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the memory of every RocksDB store in this process together: one block cache, and the
 * memtables charged against that same cache through one write buffer manager (the pattern
 * Kafka Streams documents for bounded memory). Without it each store gets its own 50 MB block
 * cache and up to 3 × 16 MB of memtables, so memory grows with the number of operators: dozens of
 * stores per stream table, and a deployment has many.
 *
 * <p>Sizes: {@value #CACHE_PROPERTY} (bytes, default 256 MB) for the whole cache, of which half
 * may be memtables.
 */
public final class BoundedRocksDb implements RocksDBConfigSetter {
  public static final String CACHE_PROPERTY = "trickle.rocksdb.cache.bytes";
  private static final long CACHE_BYTES = Long.getLong(CACHE_PROPERTY, 256L * 1024 * 1024);
  private static final long MEMTABLE_BYTES = CACHE_BYTES / 2;

  private static final class Shared {
    static {
      org.rocksdb.RocksDB.loadLibrary();
    }

    static final Cache CACHE = new LRUCache(CACHE_BYTES, -1, false, 0.1);
    static final WriteBufferManager WRITE_BUFFERS = new WriteBufferManager(MEMTABLE_BYTES, CACHE);
  }

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(Shared.CACHE);
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setWriteBufferManager(Shared.WRITE_BUFFERS);
    options.setTableFormatConfig(table);
    // Small memtables: most stores are small; the manager caps the total anyway.
    options.setWriteBufferSize(8L * 1024 * 1024);
    options.setMaxWriteBufferNumber(2);
  }

  @Override
  public void close(String storeName, Options options) {
    // The cache and manager are shared by every store of the process: never closed here.
  }
}
