package io.trickle.topology;

import net.jqwik.api.lifecycle.AfterContainerHook;
import net.jqwik.api.lifecycle.BeforeContainerHook;
import net.jqwik.api.lifecycle.ContainerLifecycleContext;

/**
 * Runs a suite's plans with every keyed operator fed through an exchange topic and a stage
 * aligner, as a stream table with {@code --partitions} above 1 runs (here with one partition, in
 * one TopologyTestDriver): the exchanges' encoding, marker multicast and barrier alignment must
 * not change a single result. The suite fails if none of its plans went through an exchange.
 */
public final class ThroughExchanges implements BeforeContainerHook, AfterContainerHook {
  @Override
  public void beforeContainer(ContainerLifecycleContext context) {
    Harness.throughExchanges(true);
  }

  @Override
  public void afterContainer(ContainerLifecycleContext context) {
    Harness.throughExchanges(false);
  }
}
