package io.trickle.cli.runtime;

import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * What trickle's applications (a stream table's, a capture stage's) share: one {@link
 * KafkaStreams} instance, replaced by a new one of the same application id on restart (it
 * restores its state from the changelogs and continues from the committed offsets), and the
 * error that stopped it.
 */
abstract class KafkaStreamsApp implements SupervisedApp {
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private java.util.Properties config;
  private volatile KafkaStreams streams;
  private volatile Throwable failure;

  /** The topology of a new instance. */
  protected abstract Topology topology();

  /** Told, on the failed stream thread, when the application stops on an error. */
  protected abstract void onFailure(Throwable e);

  /**
   * Creates the first instance, with the configuration every instance gets: the last step of a
   * subclass's constructor.
   */
  protected final void init(java.util.Properties config) {
    this.config = config;
    streams = create();
  }

  private KafkaStreams create() {
    KafkaStreams s = new KafkaStreams(topology(), config);
    s.setUncaughtExceptionHandler(e -> {
      failure = e;
      onFailure(e);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    return s;
  }

  @Override
  public void start() {
    streams.start();
  }

  @Override
  public synchronized void restart() {
    streams.close(CLOSE_TIMEOUT);
    failure = null;
    streams = create();
    streams.start();
  }

  @Override
  public boolean failed() {
    KafkaStreams.State s = streams.state();
    return s == KafkaStreams.State.ERROR || s == KafkaStreams.State.PENDING_ERROR;
  }

  @Override
  public Throwable failure() {
    return failure;
  }

  @Override
  public KafkaStreams.State state() {
    return streams.state();
  }

  @Override
  public synchronized void close() {
    streams.close(CLOSE_TIMEOUT);
  }
}
