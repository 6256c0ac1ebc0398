package io.trickle.connectors.sink;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Configuration of {@link TrickleSinkConnector}: the stream tables one sink applies together. Two
 * shapes, each key declared once with its doc:
 * <ul>
 *   <li>one stream table ({@link #STREAM_TABLE}, {@link #TARGET_TABLE}, its output topic the
 *       connector's single {@code topics} entry): a consistency group of one, named after it;
 *   <li>a consistency group ({@link #GROUP}, and {@link #MEMBERS}, {@link #TARGET_TABLES},
 *       {@link #TOPICS}: three lists in the same order).
 * </ul>
 */
public final class TrickleSinkConfig extends AbstractConfig {
  public static final String CONNECTION_URL = SinkConnection.URL;
  public static final String CONNECTION_PASSWORD = SinkConnection.PASSWORD;
  public static final String STREAM_TABLE = "trickle.stream.table";
  public static final String TARGET_TABLE = "trickle.target.table";
  public static final String GROUP = "trickle.group";
  public static final String MEMBERS = "trickle.group.members";
  public static final String TARGET_TABLES = "trickle.group.target.tables";
  public static final String TOPICS = "trickle.group.topics";
  /** Connect's own sink setting: the topics the task is subscribed to. */
  private static final String CONNECT_TOPICS = "topics";

  public static final ConfigDef DEF = SinkConnection.define(new ConfigDef())
      .define(STREAM_TABLE, Type.STRING, null, Importance.HIGH,
          "One stream table, as in trickle.stream_tables.name, applied alone (a consistency group of"
              + " one); its output topic is the connector's single topics entry. Not with " + GROUP + ".")
      .define(TARGET_TABLE, Type.STRING, null, Importance.HIGH,
          "Schema-qualified target table of " + STREAM_TABLE + ".")
      .define(GROUP, Type.STRING, null, Importance.HIGH,
          "Name of a consistency group, for logs and errors. Not with " + STREAM_TABLE + ".")
      .define(MEMBERS, Type.LIST, List.of(), Importance.HIGH,
          "The group's stream tables, as in trickle.stream_tables.name.")
      .define(TARGET_TABLES, Type.LIST, List.of(), Importance.HIGH,
          "Schema-qualified target table of each member, in the order of " + MEMBERS + ".")
      .define(TOPICS, Type.LIST, List.of(), Importance.HIGH,
          "Output topic of each member, in the order of " + MEMBERS + ".");

  /** One member: its stream table, target table and output topic. */
  public record Member(String streamTable, String targetTable, String topic) {}

  private final String group;
  private final List<Member> members;

  public TrickleSinkConfig(Map<String, String> props) {
    super(DEF, props);
    SinkConnection.check(this);
    String single = getString(STREAM_TABLE);
    if (single != null) {
      if (getString(GROUP) != null || !getList(MEMBERS).isEmpty()) {
        throw new ConfigException("give either " + STREAM_TABLE + " or " + GROUP + " with its members, not both");
      }
      if (getString(TARGET_TABLE) == null) {
        throw new ConfigException(STREAM_TABLE + " needs " + TARGET_TABLE);
      }
      List<String> topics = topics(props.get(CONNECT_TOPICS));
      if (topics.size() != 1) {
        throw new ConfigException("a sink of one stream table (" + STREAM_TABLE + ") reads exactly one topic,"
            + " its output topic, given as " + CONNECT_TOPICS);
      }
      group = single;
      members = List.of(new Member(single, getString(TARGET_TABLE), topics.get(0)));
    } else {
      List<String> names = getList(MEMBERS);
      List<String> targets = getList(TARGET_TABLES);
      List<String> memberTopics = getList(TOPICS);
      if (getString(GROUP) == null || names.isEmpty() || targets.size() != names.size()
          || memberTopics.size() != names.size()) {
        throw new ConfigException("give " + STREAM_TABLE + " and " + TARGET_TABLE + ", or " + GROUP + " with "
            + MEMBERS + ", " + TARGET_TABLES + " and " + TOPICS + " as non-empty lists of the same length");
      }
      group = getString(GROUP);
      members = IntStream.range(0, names.size())
          .mapToObj(i -> new Member(names.get(i), targets.get(i), memberTopics.get(i))).toList();
    }
  }

  private static List<String> topics(String list) {
    if (list == null) {
      return List.of();
    }
    return java.util.Arrays.stream(list.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
  }

  /** A new connection to the target database, with the password resolved by Connect. */
  public java.sql.Connection connect() throws java.sql.SQLException {
    return SinkConnection.open(this);
  }

  /** The consistency group's name; a single stream table's own name. */
  public String group() {
    return group;
  }

  /** True for a consistency group of more than one stream table (for messages). */
  public boolean isGroup() {
    return members.size() > 1 || getString(GROUP) != null;
  }

  public List<Member> members() {
    return members;
  }
}
