package io.trickle.connectors.sink;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Applies the stream tables of a consistency group together: it reads every member's output
 * topic and, in one PostgreSQL transaction, applies each member's epochs up to the latest source
 * commit that every member has reached, and records that LSN for all of them. Readers joining the
 * members therefore always see them at the same source commit.
 */
public final class TrickleGroupSinkConnector extends SinkConnector {
  private Map<String, String> props;

  @Override
  public void start(Map<String, String> props) {
    new TrickleGroupSinkConfig(props); // fail fast on a bad config
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return TrickleGroupSinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    // One task: it must see every member's topic to find their common epoch.
    return List.of(props);
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return TrickleGroupSinkConfig.DEF;
  }

  @Override
  public String version() {
    return Version.VERSION;
  }
}
