package io.trickle.connectors.sink;

/**
 * The class name that versions before the single and the group sink were one implementation
 * gave consistency-group sinks. Connectors created with it keep running (the same task, the
 * same configuration keys) until {@code trickle run} replaces their configuration with {@link
 * TrickleSinkConnector}'s.
 */
public final class TrickleGroupSinkConnector extends TrickleSinkConnector {}
