package io.trickle.connectors.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The two shapes of a sink's configuration: one stream table is a consistency group of one. */
class TrickleSinkConfigTest {
  /** One stream table's keys, as trickle run deploys them. */
  private static Map<String, String> single(String topics) {
    Map<String, String> m = new HashMap<>(Map.of(SinkConnection.URL, "jdbc:postgresql://db/shop?user=u",
        TrickleSinkConfig.STREAM_TABLE, "st", TrickleSinkConfig.TARGET_TABLE, "public.st"));
    m.put("topics", topics);
    return m;
  }

  /** A group's keys, as trickle run deploys them. */
  private static Map<String, String> group(String members, String targets, String topics) {
    return new HashMap<>(Map.of(SinkConnection.URL, "jdbc:postgresql://db/shop?user=u", TrickleSinkConfig.GROUP, "g",
        TrickleSinkConfig.MEMBERS, members, TrickleSinkConfig.TARGET_TABLES, targets, TrickleSinkConfig.TOPICS, topics));
  }

  @Test
  void oneStreamTableIsAGroupOfOneReadingTheConnectorsTopic() {
    TrickleSinkConfig c = new TrickleSinkConfig(single("trickle.st.st.abc"));
    assertThat(c.group()).isEqualTo("st");
    assertThat(c.isGroup()).isFalse();
    assertThat(c.members()).containsExactly(new TrickleSinkConfig.Member("st", "public.st", "trickle.st.st.abc"));
  }

  @Test
  void aGroupListsItsMembersInOrder() {
    TrickleSinkConfig c = new TrickleSinkConfig(group("a,b", "public.a,public.b", "ta,tb"));
    assertThat(c.isGroup()).isTrue();
    assertThat(c.members()).isEqualTo(List.of(new TrickleSinkConfig.Member("a", "public.a", "ta"),
        new TrickleSinkConfig.Member("b", "public.b", "tb")));
  }

  @Test
  void aGroupSinkOfAnEarlierVersionKeepsItsClassAndKeys() {
    TrickleGroupSinkConnector connector = new TrickleGroupSinkConnector();
    Map<String, String> props = group("a,b", "public.a,public.b", "ta,tb");
    connector.start(props);
    assertThat(connector.taskClass()).as("the one task implementation").isEqualTo(TrickleSinkTask.class);
    assertThat(connector.taskConfigs(4)).as("one task, with the group's keys").containsExactly(props);
  }

  @Test
  void aConfigOfNeitherOrBothShapesIsRefused() {
    Map<String, String> both = single("t");
    both.put(TrickleSinkConfig.GROUP, "g");
    assertThatThrownBy(() -> new TrickleSinkConfig(both)).as("both shapes").isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> new TrickleSinkConfig(Map.of(SinkConnection.URL, "jdbc:postgresql://db/shop")))
        .as("neither").isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> new TrickleSinkConfig(single("t1,t2"))).as("one stream table, two topics")
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> new TrickleSinkConfig(group("a,b", "public.a", "ta,tb"))).as("lists of different lengths")
        .isInstanceOf(ConfigException.class);
  }
}
