package io.trickle.cli.runtime;

import java.time.Duration;

/** Exponential backoff between restarts of a failed component: initial, 2×, 4×, … up to max. */
public record Backoff(Duration initial, Duration max) {
  public Backoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= max: " + initial + ", " + max);
    }
  }

  /** The pause after the {@code attempt}-th restart (1-based). */
  public Duration delay(int attempt) {
    if (attempt <= 1) {
      return initial;
    }
    int doublings = Math.min(attempt - 1, 30);
    long ms = initial.toMillis() << doublings;
    return ms <= 0 || ms > max.toMillis() ? max : Duration.ofMillis(ms);
  }
}
