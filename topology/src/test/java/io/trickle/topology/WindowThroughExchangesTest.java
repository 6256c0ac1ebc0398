package io.trickle.topology;

import net.jqwik.api.lifecycle.AddLifecycleHook;

/** {@link WindowVersusPostgresTest} again (window functions), {@link ThroughExchanges through exchanges}. */
@AddLifecycleHook(ThroughExchanges.class)
class WindowThroughExchangesTest extends WindowVersusPostgresTest {}
