package io.trickle.bench;

import java.util.Arrays;

/** Nearest-rank percentiles of a sample of milliseconds. */
final class Percentiles {
  private final double[] sorted;

  Percentiles(double[] samples) {
    sorted = samples.clone();
    Arrays.sort(sorted);
  }

  double at(double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  String describe() {
    return String.format("p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d samples)", at(50), at(99),
        at(100), sorted.length);
  }
}
