package io.trickle.topology.capture;

import io.trickle.topology.processor.Msg;
import io.trickle.topology.processor.MsgCodec;
import io.trickle.topology.state.KeyCodec;
import io.trickle.topology.state.RowHash;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Turns a captured table's messages into the records of its change topic: value {@link
 * MsgCodec}, key the row's primary key ({@link KeyCodec}) or, for a table without one, its row
 * hash, so {@link io.trickle.topology.Partitioning} puts every change of one row in one
 * partition. Markers and errors have no key; the partitioner sends them to every partition.
 */
final class CaptureEncodeProcessorSupplier
    implements ProcessorSupplier<Object, Msg, byte[], byte[]> {
  private final CapturedTable table;

  CaptureEncodeProcessorSupplier(CapturedTable table) {
    this.table = table;
  }

  @Override
  public Processor<Object, Msg, byte[], byte[]> get() {
    int[] keyColumns = KeyCodec.toArray(table.key().columns());
    boolean keyed = table.keyed();
    return new Processor<>() {
      private ProcessorContext<byte[], byte[]> context;

      @Override
      public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
      }

      @Override
      public void process(Record<Object, Msg> record) {
        byte[] key = null;
        if (record.value() instanceof Msg.Change c) {
          key = keyed ? KeyCodec.encode(c.row(), keyColumns) : RowHash.of(c.row());
        }
        context.forward(new Record<>(key, MsgCodec.encode(record.value()), record.timestamp(),
            record.headers()));
      }
    };
  }
}
