/**
 * Plan → Kafka Streams. {@link io.trickle.topology.TopologyFactory} walks the plan with an
 * {@code OpVisitor} and wires one processor per operator (two for a join), each named
 * {@code op.name()} and owning the stores {@code Stateful.storeNames()} lists.
 *
 * <p>Between processors, records carry a {@link io.trickle.topology.processor.Msg}: Z-set changes,
 * epoch markers (closing a source transaction) and error notes. All state is RocksDB
 * {@code Bytes → byte[]} in the encodings of {@link io.trickle.topology.state}. Operator metrics
 * are listed in {@link io.trickle.topology.TrickleMetrics}.
 */
package io.trickle.topology;
