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

  /**
   * The capture stage's {@code trickle.epoch.min.interval.ms}: a commit boundary less than this
   * after the previous marker is not a marker of its own; its epoch is closed together with the
   * following transactions' at the next boundary after the interval (or by a punctuator, if
   * nothing follows). Epochs stay at source commit boundaries, but their number per second is
   * bounded whatever the source's commit rate, and with it the markers every operator, exchange
   * partition and sink handles. 0 (the default of the topology) closes an epoch at every commit.
   */
  public static final String MIN_INTERVAL_CONFIG = "trickle.epoch.min.interval.ms";

  /** What {@code trickle run} uses: at most 50 epochs per second. */
  public static final long DEFAULT_MIN_INTERVAL_MS = 20;

  private Epochs() {}

  /** {@link #MIN_INTERVAL_CONFIG} of the application's configs, 0 when absent. */
  public static long minIntervalMs(Map<String, Object> appConfigs) {
    Object v = appConfigs.get(MIN_INTERVAL_CONFIG);
    return v == null ? 0 : Long.parseLong(v.toString().trim());
  }

  /** False only when the application config sets {@code trickle.epochs=off}. */
  public static boolean enabled(Map<String, Object> appConfigs) {
    Object v = appConfigs.get(CONFIG);
    return v == null || !"off".equalsIgnoreCase(v.toString().trim());
  }
}
