package io.trickle.connectors;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/**
 * A sink connector registered only through {@code META-INF/services} on the test classpath: proves
 * that the embedded worker's {@code service_load} discovery finds a plugin of our own module.
 * With {@code probe.fail=true} its task fails on start, to exercise failure reporting.
 */
public final class ProbeSinkConnector extends SinkConnector {
  private Map<String, String> props;

  @Override
  public void start(Map<String, String> props) {
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return ProbeTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    return List.of(props);
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return new ConfigDef().define("probe.fail", ConfigDef.Type.BOOLEAN, false, ConfigDef.Importance.LOW,
        "Fail the task on start.");
  }

  @Override
  public String version() {
    return "0.0.1-probe";
  }

  /** Accepts and drops records, or fails on start when asked to. */
  public static final class ProbeTask extends SinkTask {
    @Override
    public String version() {
      return "0.0.1-probe";
    }

    @Override
    public void start(Map<String, String> props) {
      if (Boolean.parseBoolean(props.get("probe.fail"))) {
        throw new IllegalStateException("probe task asked to fail");
      }
    }

    @Override
    public void put(Collection<SinkRecord> records) {}

    @Override
    public void stop() {}
  }
}
