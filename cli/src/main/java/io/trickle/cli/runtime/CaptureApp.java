package io.trickle.cli.runtime;

import io.trickle.topology.capture.CaptureTopology;
import io.trickle.topology.capture.CapturedTable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture stage of one source database ({@link CaptureTopology}), as its own Kafka Streams
 * application {@code trickle-capture-<db>}: reads the database's changes topic once and writes
 * each captured table's changes to its change topic ({@link StreamTableNames#changeTopic(PgUrl,
 * String)}). Its application id does not depend on the set of tables: a table added later adds
 * processors and a store of its own (named from the table) and leaves the others' state alone.
 */
public final class CaptureApp implements SupervisedApp {
  private static final Logger LOG = LoggerFactory.getLogger(CaptureApp.class);

  private final String name;
  private final String changesTopic;
  private final List<CapturedTable> tables;
  private final PgUrl pg;
  private final Properties props;
  private final Consumer<Throwable> onFailure;
  private volatile KafkaStreams streams;
  private volatile Throwable failure;

  /** @param onFailure told when the application stops on an error */
  public CaptureApp(PgUrl pg, List<CapturedTable> tables, String bootstrap, Path stateDir,
      boolean singleBroker, Consumer<Throwable> onFailure) {
    this.pg = pg;
    this.name = "capture of " + pg.database();
    this.changesTopic = StreamTableNames.changesTopic(pg);
    this.tables = List.copyOf(tables);
    this.onFailure = onFailure;
    this.props = StreamTableApp.streamsConfig(StreamTableNames.captureApplicationId(pg), bootstrap,
        stateDir, singleBroker);
    // Epochs at most every 20 ms whatever the commit rate (Epochs.MIN_INTERVAL_CONFIG); the
    // system property of the same name overrides it (0: an epoch per source commit).
    props.put(io.trickle.topology.Epochs.MIN_INTERVAL_CONFIG, Long.getLong(
        io.trickle.topology.Epochs.MIN_INTERVAL_CONFIG, io.trickle.topology.Epochs.DEFAULT_MIN_INTERVAL_MS));
    this.streams = create();
  }

  private KafkaStreams create() {
    KafkaStreams s = new KafkaStreams(CaptureTopology.build(changesTopic, tables,
        t -> StreamTableNames.changeTopic(pg, t.qualifiedName())), props);
    s.setUncaughtExceptionHandler(e -> {
      LOG.error("{} failed; its stream tables wait until it is restarted", name, e);
      failure = e;
      onFailure.accept(e);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    return s;
  }

  public List<CapturedTable> tables() {
    return tables;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void start() {
    streams.start();
  }

  @Override
  public synchronized void restart() {
    streams.close(Duration.ofSeconds(30));
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
    streams.close(Duration.ofSeconds(30));
  }
}
