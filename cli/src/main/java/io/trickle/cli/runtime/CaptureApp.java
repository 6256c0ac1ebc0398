package io.trickle.cli.runtime;

import io.trickle.topology.capture.CaptureTopology;
import io.trickle.topology.capture.CapturedTable;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture stage of one source database ({@link CaptureTopology}), as its own Kafka Streams
 * application {@code trickle-capture-<db>}: reads the database's changes topic once and writes
 * each captured table's changes to its change topic ({@link StreamTableNames#changeTopic(PgUrl,
 * String)}). Its application id does not depend on the set of tables: a table added later adds
 * processors and a store of its own (named from the table) and leaves the others' state alone.
 */
public final class CaptureApp extends KafkaStreamsApp {
  private static final Logger LOG = LoggerFactory.getLogger(CaptureApp.class);

  private final String name;
  private final String changesTopic;
  private final List<CapturedTable> tables;
  private final PgUrl pg;
  private final Consumer<Throwable> failureListener;

  /** @param onFailure told when the application stops on an error */
  public CaptureApp(PgUrl pg, List<CapturedTable> tables, String bootstrap, Path stateDir,
      boolean singleBroker, Consumer<Throwable> onFailure) {
    this.pg = pg;
    this.name = "capture of " + pg.database();
    this.changesTopic = StreamTableNames.changesTopic(pg);
    this.tables = List.copyOf(tables);
    this.failureListener = onFailure;
    Properties props = StreamTableApp.streamsConfig(StreamTableNames.captureApplicationId(pg), bootstrap,
        stateDir, singleBroker);
    // Epochs at most every 20 ms whatever the commit rate (Epochs.MIN_INTERVAL_CONFIG); the
    // system property of the same name overrides it (0: an epoch per source commit).
    props.put(io.trickle.topology.Epochs.MIN_INTERVAL_CONFIG, Long.getLong(
        io.trickle.topology.Epochs.MIN_INTERVAL_CONFIG, io.trickle.topology.Epochs.DEFAULT_MIN_INTERVAL_MS));
    init(props);
  }

  @Override
  protected Topology topology() {
    return CaptureTopology.build(changesTopic, tables,
        t -> StreamTableNames.changeTopic(pg, t.qualifiedName()));
  }

  @Override
  protected void onFailure(Throwable e) {
    LOG.error("{} failed; its stream tables wait until it is restarted", name, e);
    failureListener.accept(e);
  }

  public List<CapturedTable> tables() {
    return tables;
  }

  @Override
  public String name() {
    return name;
  }
}
