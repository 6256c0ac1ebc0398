package io.trickle.compiler.plan;

import java.util.List;

/** Marker: the operator keeps state; {@link #storeNames()} are deterministic, per plan. */
public interface Stateful {
  /** Store names relative to the stream table, e.g. {@code join-3-left}. */
  List<String> storeNames();
}
