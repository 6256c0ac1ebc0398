package io.trickle.topology.processor;

import io.trickle.topology.state.ByteReader;
import io.trickle.topology.state.ByteWriter;
import io.trickle.topology.state.RowCodec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Binary form of {@link Msg}: the value of every record of a per-table change topic (written by
 * the capture stage, read by stream tables), and of what the aligner buffers across records.
 * One tag byte, then
 * <ul>
 *   <li>{@code 'c'} change: weight (8 bytes), the row ({@link RowCodec});
 *   <li>{@code 'm'} marker: seq, LSN, commit time (8 bytes each);
 *   <li>{@code 'e'} error: [operator, position, SQLSTATE, message], then the names and the values
 *       of the offending row, three {@link RowCodec} rows.
 * </ul>
 * Debezium events are never encoded: they are parsed once, by the capture stage.
 */
public final class MsgCodec {
  public static final int CHANGE = 'c';
  public static final int MARKER = 'm';
  public static final int ERROR = 'e';

  private MsgCodec() {}

  /** The tag of an encoded message: {@link #CHANGE}, {@link #MARKER} or {@link #ERROR}. */
  public static int tag(byte[] encoded) {
    return encoded[0];
  }

  public static byte[] encode(Msg msg) {
    ByteWriter w = new ByteWriter(64);
    msg.accept(new MsgVisitor() {
      @Override
      public void visitChange(Msg.Change c) {
        w.writeByte(CHANGE).writeLong(c.weight());
        RowCodec.writeRow(w, c.row());
      }

      @Override
      public void visitMarker(Msg.Marker m) {
        w.writeByte(MARKER).writeLong(m.seq()).writeLong(m.lsn()).writeLong(m.tsMs());
      }

      @Override
      public void visitError(Msg.ErrorNote e) {
        w.writeByte(ERROR);
        RowCodec.writeRow(w, new Object[] {e.operator(), e.position(), e.sqlState(), e.message()});
        RowCodec.writeRow(w, e.row().keySet().toArray());
        RowCodec.writeRow(w, e.row().values().toArray());
      }

      @Override
      public void visitSourceEvent(Msg.SourceEvent event) {
        throw new IllegalStateException("Debezium events are never encoded");
      }
    });
    return w.toByteArray();
  }

  public static Msg decode(byte[] bytes) {
    ByteReader r = new ByteReader(bytes);
    int tag = r.readByte();
    return switch (tag) {
      case CHANGE -> {
        long weight = r.readLong();
        yield new Msg.Change(RowCodec.readRow(r), weight);
      }
      case MARKER -> new Msg.Marker(r.readLong(), r.readLong(), r.readLong());
      case ERROR -> {
        Object[] f = RowCodec.readRow(r);
        Object[] names = RowCodec.readRow(r);
        Object[] values = RowCodec.readRow(r);
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
          row.put((String) names[i], values[i]);
        }
        yield new Msg.ErrorNote((String) f[0], (String) f[1], (String) f[2], (String) f[3], row);
      }
      default -> throw new IllegalStateException("unknown message tag " + tag);
    };
  }
}
