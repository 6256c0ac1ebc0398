package io.trickle.connectors.sink;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Applies the output topics of a consistency group, or of one stream table (a group of one), to
 * their PostgreSQL tables one step at a time: in one PostgreSQL transaction, each member's net
 * changes up to the latest source commit that every partition of every member's topic has
 * closed, the source LSN they reflect and the Kafka offsets they end at. A restart resumes after
 * the applied offsets, so no epoch is applied twice and no reader sees half an epoch, or members
 * at different source commits.
 *
 * <p>The Debezium JDBC sink cannot do this: it commits per batch, not per source transaction, and
 * cannot record the LSN atomically with the rows.
 */
public class TrickleSinkConnector extends SinkConnector {
  private Map<String, String> props;

  /**
   * What every trickle sink's connector config holds: this class, one task, ByteArray converters,
   * and a consumer that reads only committed records (the stream tables' applications write
   * transactionally) from the start of a topic without committed offsets. The caller adds the
   * stream table or group keys.
   *
   * @param topics comma-separated output topics
   * @param passwordReference a config provider reference for {@link TrickleSinkConfig#CONNECTION_PASSWORD}, or null
   */
  public static Map<String, String> baseConfig(String topics, String jdbcUrl, String passwordReference) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("connector.class", TrickleSinkConnector.class.getName());
    m.put("tasks.max", "1");
    m.put("topics", topics);
    m.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    m.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    m.put("consumer.override.isolation.level", "read_committed");
    m.put("consumer.override.auto.offset.reset", "earliest");
    m.put(TrickleSinkConfig.CONNECTION_URL, jdbcUrl); // holds no password
    if (passwordReference != null) {
      m.put(TrickleSinkConfig.CONNECTION_PASSWORD, passwordReference);
    }
    return m;
  }

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
    // One task: it must see every partition of every member's topic to find their common epoch.
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
