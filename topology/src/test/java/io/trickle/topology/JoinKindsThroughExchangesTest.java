package io.trickle.topology;

import net.jqwik.api.lifecycle.AddLifecycleHook;

/** {@link JoinKindsVersusRecomputeTest} again (every join kind), {@link ThroughExchanges through exchanges}. */
@AddLifecycleHook(ThroughExchanges.class)
class JoinKindsThroughExchangesTest extends JoinKindsVersusRecomputeTest {}
