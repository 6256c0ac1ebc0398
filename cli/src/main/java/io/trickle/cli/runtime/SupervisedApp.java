package io.trickle.cli.runtime;

import org.apache.kafka.streams.KafkaStreams;

/** A Kafka Streams application {@link Supervisor} watches and restarts. */
public interface SupervisedApp extends AutoCloseable {
  /** What it is called in messages (a stream table's name, {@code capture of <db>}). */
  String name();

  void start();

  /** Replaces a failed application with a new instance of the same application id. */
  void restart();

  /** True once the application has shut itself down after an uncaught error. */
  boolean failed();

  /** The error that stopped the application, or null. */
  Throwable failure();

  KafkaStreams.State state();

  @Override
  void close();
}
