package io.trickle.topology;

import net.jqwik.api.lifecycle.AddLifecycleHook;

/** {@link CompiledAggregatesVersusPostgresTest} again (aggregates, grouping sets and DISTINCT), {@link ThroughExchanges through exchanges}. */
@AddLifecycleHook(ThroughExchanges.class)
class CompiledAggregatesThroughExchangesTest extends CompiledAggregatesVersusPostgresTest {}
