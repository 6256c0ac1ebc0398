package io.trickle.topology;

import java.util.Map;

/**
 * The benchmark-only switch {@code trickle.epochs} (a Kafka Streams application config). "on",
 * the default and the only supported mode, closes an epoch at every source transaction. "off"
 * exists to measure what epochs cost (docs/benchmarks.md): the dispatcher then emits markers only
 * on heartbeats, as progress ticks, and the materialize operator emits every change at once
 * instead of holding it until a marker, so nothing is grouped by source transaction.
 */
public final class Epochs {
  public static final String CONFIG = "trickle.epochs";

  private Epochs() {}

  /** False only when the application config sets {@code trickle.epochs=off}. */
  public static boolean enabled(Map<String, Object> appConfigs) {
    Object v = appConfigs.get(CONFIG);
    return v == null || !"off".equalsIgnoreCase(v.toString().trim());
  }
}
