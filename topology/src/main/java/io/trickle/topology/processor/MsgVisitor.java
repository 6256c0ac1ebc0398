package io.trickle.topology.processor;

/** Typed dispatch over {@link Msg}. */
public interface MsgVisitor {
  void visitChange(Msg.Change change);

  void visitMarker(Msg.Marker marker);

  void visitError(Msg.ErrorNote error);

  void visitSourceEvent(Msg.SourceEvent event);
}
