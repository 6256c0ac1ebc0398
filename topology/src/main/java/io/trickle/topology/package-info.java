/**
 * Plan → Kafka Streams. {@link io.trickle.topology.TopologyFactory} walks the plan with an
 * {@code OpVisitor} and wires one processor per operator (two for a join), each named
 * {@code op.name()} and owning the stores {@code Stateful.storeNames()} lists (a source over a
 * captured table owns none). {@link io.trickle.topology.capture.CaptureTopology} is the capture
 * stage of a database: it parses Debezium's changes once, keeps each captured table's rows once,
 * and writes per-table change topics ({@link io.trickle.topology.processor.MsgCodec}, partitioned
 * by {@link io.trickle.topology.Partitioning}) that the stream tables read.
 *
 * <p>Between processors, records carry a {@link io.trickle.topology.processor.Msg}: Z-set changes,
 * epoch markers (closing a source transaction) and error notes. All state is RocksDB
 * {@code Bytes → byte[]} in the encodings of {@link io.trickle.topology.state}. Operator metrics
 * are listed in {@link io.trickle.topology.TrickleMetrics}.
 */
package io.trickle.topology;
