package io.trickle.topology;

import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * {@link WindowVersusPostgresTest} again (window functions), with every keyed operator fed through an exchange
 * topic and a stage aligner, as a stream table with {@code --partitions} above 1 runs (here with
 * one partition, in one TopologyTestDriver): the exchanges' encoding, marker multicast and
 * barrier alignment must not change a single result.
 */
class WindowThroughExchangesTest extends WindowVersusPostgresTest {
  @BeforeContainer
  static void throughExchanges() {
    Harness.throughExchanges(true);
  }

  @AfterContainer
  static void directly() {
    Harness.throughExchanges(false);
  }
}
