package io.trickle.topology.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.MeteredKeyValueStore;
import org.apache.kafka.streams.state.internals.RocksDBStore;
import org.junit.jupiter.api.Test;

/**
 * {@link StateStores#scans}: iterates the RocksDB store itself, below metering, for an uncached
 * store; and it sees every write made through the store the processor got. A cached store is
 * iterated as it is (its record cache holds writes RocksDB has not seen).
 */
class StateStoresScansTest {
  @Test
  void scansBelowMeteringAndSeeEveryWrite() {
    List<String> seen = new ArrayList<>();
    List<Class<?>> kinds = new ArrayList<>();
    Topology t = new Topology();
    t.addSource("in", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), "in");
    t.addProcessor("p", () -> new Processor<byte[], byte[], Void, Void>() {
      KeyValueStore<Bytes, byte[]> plain;
      KeyValueStore<Bytes, byte[]> cached;

      @Override
      public void init(ProcessorContext<Void, Void> context) {
        plain = context.getStateStore("plain");
        cached = context.getStateStore("cached");
      }

      @Override
      public void process(Record<byte[], byte[]> r) {
        plain.put(Bytes.wrap(r.key()), r.value());
        cached.put(Bytes.wrap(r.key()), r.value());
        kinds.add(StateStores.scans(plain).getClass());
        kinds.add(StateStores.scans(cached).getClass());
        StringBuilder b = new StringBuilder();
        for (KeyValueStore<Bytes, byte[]> s : List.of(StateStores.scans(plain), StateStores.scans(cached))) {
          try (KeyValueIterator<Bytes, byte[]> it = s.prefixScan(Bytes.wrap(new byte[] {'k'}), new BytesSerializer())) {
            it.forEachRemaining(kv -> b.append(new String(kv.key.get())).append(' '));
          }
          b.append('|');
        }
        seen.add(b.toString());
      }
    }, "in");
    t.addStateStore(StateStores.persistent("plain"), "p");
    t.addStateStore(StateStores.persistentCached("cached"), "p");
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "scans");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 1 << 20);
    try (TopologyTestDriver d = new TopologyTestDriver(t, p)) {
      var in = d.createInputTopic("in", Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
      in.pipeInput("k1".getBytes(), "a".getBytes());
      in.pipeInput("x".getBytes(), "b".getBytes());
      in.pipeInput("k2".getBytes(), "c".getBytes());
    }
    assertThat(seen).containsExactly("k1 |k1 |", "k1 |k1 |", "k1 k2 |k1 k2 |");
    assertThat(kinds.get(0)).isEqualTo(RocksDBStore.class);
    assertThat(MeteredKeyValueStore.class.isAssignableFrom(kinds.get(1))
        || kinds.get(1).getName().contains("ReadWriteDecorator")).isTrue();
  }
}
