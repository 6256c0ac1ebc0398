package io.trickle.connectors.sink;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Configuration of {@link TrickleGroupSinkConnector}. The members, their target tables and their
 * output topics are three lists in the same order. Each key is declared once, with its doc.
 */
public final class TrickleGroupSinkConfig extends AbstractConfig {
  public static final String CONNECTION_URL = SinkConnection.URL;
  public static final String CONNECTION_PASSWORD = SinkConnection.PASSWORD;
  public static final String GROUP = "trickle.group";
  public static final String MEMBERS = "trickle.group.members";
  public static final String TARGET_TABLES = "trickle.group.target.tables";
  public static final String TOPICS = "trickle.group.topics";

  public static final ConfigDef DEF = SinkConnection.define(new ConfigDef())
      .define(GROUP, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
          "Name of the consistency group, for logs and errors.")
      .define(MEMBERS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
          "The group's stream tables, as in trickle.stream_tables.name.")
      .define(TARGET_TABLES, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
          "Schema-qualified target table of each member, in the order of " + MEMBERS + ".")
      .define(TOPICS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
          "Output topic of each member, in the order of " + MEMBERS + ".");

  /** One member: its stream table, target table and output topic. */
  public record Member(String streamTable, String targetTable, String topic) {}

  public TrickleGroupSinkConfig(Map<String, String> props) {
    super(DEF, props);
    SinkConnection.check(this);
    List<String> m = getList(MEMBERS);
    if (m.isEmpty() || getList(TARGET_TABLES).size() != m.size() || getList(TOPICS).size() != m.size()) {
      throw new ConfigException(MEMBERS + ", " + TARGET_TABLES + " and " + TOPICS
          + " must be non-empty lists of the same length");
    }
  }

  /** A new connection to the target database, with the password resolved by Connect. */
  public java.sql.Connection connect() throws java.sql.SQLException {
    return SinkConnection.open(this);
  }

  public String group() {
    return getString(GROUP);
  }

  public List<Member> members() {
    List<String> names = getList(MEMBERS);
    List<String> targets = getList(TARGET_TABLES);
    List<String> topics = getList(TOPICS);
    return java.util.stream.IntStream.range(0, names.size())
        .mapToObj(i -> new Member(names.get(i), targets.get(i), topics.get(i))).toList();
  }
}
