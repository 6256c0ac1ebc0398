package io.trickle.connectors.sink;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Applies a stream table's output topic to its PostgreSQL table one epoch at a time: each
 * epoch's net changes, the source LSN it reflects and the Kafka offset it ends at are committed
 * in one PostgreSQL transaction. A restart resumes after the last applied offset, so no epoch is
 * applied twice and no reader sees half an epoch.
 *
 * <p>The Debezium JDBC sink cannot do this: it commits per batch, not per source transaction, and
 * cannot record the LSN atomically with the rows.
 */
public final class TrickleSinkConnector extends SinkConnector {
  private Map<String, String> props;

  @Override
  public void start(Map<String, String> props) {
    new TrickleSinkConfig(props); // fail fast on a bad config
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return TrickleSinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    // One task: the output topic has one partition and epochs must be applied in order.
    return List.of(props);
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return TrickleSinkConfig.DEF;
  }

  @Override
  public String version() {
    return Version.VERSION;
  }
}
