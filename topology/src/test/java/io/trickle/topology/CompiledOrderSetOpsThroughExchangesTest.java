package io.trickle.topology;

import net.jqwik.api.lifecycle.AddLifecycleHook;

/** {@link CompiledOrderSetOpsVersusPostgresTest} again (TopK, DISTINCT ON and set operations), {@link ThroughExchanges through exchanges}. */
@AddLifecycleHook(ThroughExchanges.class)
class CompiledOrderSetOpsThroughExchangesTest extends CompiledOrderSetOpsVersusPostgresTest {}
