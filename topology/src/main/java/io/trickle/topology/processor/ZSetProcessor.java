package io.trickle.topology.processor;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Base of every operator processor. Dispatches each {@link Msg} to a hook and handles epoch
 * markers once: a node can receive the same marker from several parents (both sides of a join),
 * so a marker reaches {@link #onMarker} when it has arrived from every parent ({@link
 * MarkerAlignment}), and never twice.
 *
 * <p>Internal record keys are null: the whole topology runs in one task (the source topic has
 * one partition and nothing is repartitioned yet). A keyed operator that later needs
 * repartitioning would put its key into the record key here and add a repartition topic in
 * {@code TopologyFactory}.
 */
public abstract class ZSetProcessor<KOut, VOut> implements Processor<Object, Msg, KOut, VOut> {
  protected ProcessorContext<KOut, VOut> context;
  private long lastMarkerSeq = Long.MIN_VALUE;
  private int expectedArrivals = 1;
  private long pendingSeq = Long.MIN_VALUE;
  private int arrivals;
  private Record<Object, Msg> current;
  private final MsgVisitor dispatcher = new MsgVisitor() {
    @Override
    public void visitChange(Msg.Change change) {
      onChange(change, current);
    }

    @Override
    public void visitMarker(Msg.Marker marker) {
      if (marker.seq() <= lastMarkerSeq) {
        return;
      }
      if (marker.seq() != pendingSeq) {
        pendingSeq = marker.seq();
        arrivals = 0;
      }
      // Within one task a marker travels depth-first down every path before the next record, so
      // the last arrival means every parent has passed on all of the epoch's changes.
      if (++arrivals >= expectedArrivals) {
        lastMarkerSeq = marker.seq();
        onMarker(marker, current);
      }
    }

    @Override
    public void visitError(Msg.ErrorNote error) {
      onError(error, current);
    }

    @Override
    public void visitSourceEvent(Msg.SourceEvent event) {
      onSourceEvent(event, current);
    }
  };

  /** The number of parent nodes that each pass every marker on (see {@link MarkerAlignment}). */
  void expectMarkersFrom(int parents) {
    this.expectedArrivals = Math.max(1, parents);
  }

  @Override
  public final void init(ProcessorContext<KOut, VOut> context) {
    this.context = context;
    open();
  }

  /** Looks up stores and metrics; {@link #context} is set. */
  protected void open() {}

  @Override
  public final void process(Record<Object, Msg> record) {
    current = record;
    try {
      record.value().accept(dispatcher);
    } finally {
      current = null;
    }
  }

  protected abstract void onChange(Msg.Change change, Record<Object, Msg> record);

  protected abstract void onMarker(Msg.Marker marker, Record<Object, Msg> record);

  protected abstract void onError(Msg.ErrorNote error, Record<Object, Msg> record);

  protected void onSourceEvent(Msg.SourceEvent event, Record<Object, Msg> record) {
    throw new IllegalStateException(getClass().getSimpleName() + " does not read Debezium events");
  }

  protected KeyValueStore<Bytes, byte[]> store(String name) {
    return context.getStateStore(name);
  }
}
