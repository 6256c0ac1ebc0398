package io.trickle.topology.processor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Map;

/**
 * The value of every record flowing between trickle processors. Records are handed over in
 * memory inside one task and never serialized, so these need no serde.
 */
public sealed interface Msg permits Msg.Change, Msg.Marker, Msg.ErrorNote, Msg.SourceEvent {

  void accept(MsgVisitor visitor);

  /** A Z-set change: {@code weight} copies of {@code row} inserted (positive) or deleted. */
  record Change(Object[] row, long weight) implements Msg {
    @Override
    public void accept(MsgVisitor visitor) {
      visitor.visitChange(this);
    }

    @Override
    public String toString() {
      return (weight >= 0 ? "+" : "") + weight + " " + Arrays.toString(row);
    }
  }

  /**
   * Closes an epoch: every change of source transactions up to {@code lsn} has been forwarded
   * before it. {@code seq} is the source record offset and strictly increases.
   */
  record Marker(long seq, long lsn, long tsMs) implements Msg {
    @Override
    public void accept(MsgVisitor visitor) {
      visitor.visitMarker(this);
    }
  }

  /** An evaluation error upstream; the materialize operator turns it into an error record. */
  record ErrorNote(String operator, String position, String sqlState, String message,
      Map<String, Object> row) implements Msg {
    @Override
    public void accept(MsgVisitor visitor) {
      visitor.visitError(this);
    }
  }

  /** One Debezium data change, routed by the dispatcher to the source operator of its table. */
  record SourceEvent(String op, JsonNode before, JsonNode after) implements Msg {
    @Override
    public void accept(MsgVisitor visitor) {
      visitor.visitSourceEvent(this);
    }
  }
}
