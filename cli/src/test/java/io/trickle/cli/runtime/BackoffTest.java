package io.trickle.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

  @Test
  void doublesFromInitialUpToMax() {
    assertThat(backoff.delay(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.delay(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.delay(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(backoff.delay(5)).isEqualTo(Duration.ofSeconds(16));
    assertThat(backoff.delay(6)).as("capped").isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void neverOverflowsAfterManyAttempts() {
    assertThat(backoff.delay(64)).isEqualTo(Duration.ofSeconds(30));
    assertThat(backoff.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void rejectsAMaxBelowTheInitialPause() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
