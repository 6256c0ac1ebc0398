package io.trickle.topology.processor;

import io.trickle.topology.Partitioning;
import io.trickle.topology.state.ByteReader;
import io.trickle.topology.state.ByteWriter;
import io.trickle.topology.state.KeyCodec;
import io.trickle.topology.state.RowHash;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * An exchange moves an operator's input between the tasks of a stream table: every task of the
 * sending stage writes each change to the partition of its key ({@link Partitioning}) of the
 * exchange topic, and every marker and error note to all partitions, each record tagged with the
 * sending task's partition. A receiving task reads one partition: all changes of its keys, and
 * every sender's markers, which the stage's aligner ({@link AlignProcessorSupplier}) waits for
 * from every sender before it closes an epoch (barrier alignment).
 *
 * <p>Record value: [sender partition: int][{@link MsgCodec} message]; key: the partition key's
 * {@link KeyCodec} bytes (or the row hash, for an operator keyed by one), null for markers and
 * error notes.
 */
public final class ExchangeProcessors {
  private ExchangeProcessors() {}

  /** How the sending side computes a change's partition key. */
  public record KeyColumns(int[] columns, boolean rowHash) {
    public static KeyColumns of(java.util.List<Integer> columns) {
      return new KeyColumns(KeyCodec.toArray(columns), false);
    }

    public static KeyColumns ofRowHash() {
      return new KeyColumns(new int[0], true);
    }

    byte[] keyOf(Object[] row) {
      return rowHash ? RowHash.of(row) : KeyCodec.encode(row, columns);
    }
  }

  /**
   * The sending side: encodes messages for the exchange topic's sink node. A marker reaching it
   * along several paths is sent once ({@link MarkerAlignment}).
   */
  public static ProcessorSupplier<Object, Msg, byte[], byte[]> out(KeyColumns key) {
    return () -> new ZSetProcessor<byte[], byte[]>() {
      private int sender;

      @Override
      protected void open() {
        sender = context.taskId().partition();
      }

      @Override
      protected void onChange(Msg.Change change, Record<Object, Msg> record) {
        send(key.keyOf(change.row()), change, record);
      }

      @Override
      protected void onMarker(Msg.Marker marker, Record<Object, Msg> record) {
        send(null, marker, record);
      }

      @Override
      protected void onError(Msg.ErrorNote error, Record<Object, Msg> record) {
        send(null, error, record);
      }

      private void send(byte[] k, Msg msg, Record<Object, Msg> record) {
        byte[] encoded = MsgCodec.encode(msg);
        byte[] value = new ByteWriter(encoded.length + 4).writeInt(sender).writeBytes(encoded).toByteArray();
        context.forward(new Record<>(k, value, record.timestamp(), record.headers()));
      }
    };
  }

  /** Changes to the partition of their key, markers and error notes (null key) to every partition. */
  public static StreamPartitioner<byte[], byte[]> partitioner() {
    return (topic, key, value, partitions) -> key != null
        ? Optional.of(Set.of(Partitioning.partition(key, partitions)))
        : Optional.of(IntStream.range(0, partitions).boxed().collect(Collectors.toSet()));
  }

  /**
   * The receiving side: decodes a record of the exchange topic into its message, with the
   * sender's partition as the record key (the aligner's input within this exchange).
   */
  public static ProcessorSupplier<byte[], byte[], Object, Msg> in() {
    return () -> new Processor<>() {
      private ProcessorContext<Object, Msg> context;

      @Override
      public void init(ProcessorContext<Object, Msg> context) {
        this.context = context;
      }

      @Override
      public void process(Record<byte[], byte[]> record) {
        ByteReader r = new ByteReader(record.value());
        int sender = r.readInt();
        context.forward(new Record<>(sender, MsgCodec.decode(r.rest()), record.timestamp(), record.headers()));
      }
    };
  }
}
