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
  private static Map<String, String> base() {
    Map<String, String> m = new HashMap<>();
    m.put(SinkConnection.URL, "jdbc:postgresql://db/shop?user=u");
    return m;
  }

  @Test
  void oneStreamTableIsAGroupOfOneReadingTheConnectorsTopic() {
    Map<String, String> m = base();
    m.put(TrickleSinkConfig.STREAM_TABLE, "st");
    m.put(TrickleSinkConfig.TARGET_TABLE, "public.st");
    m.put("topics", "trickle.st.st.abc");
    TrickleSinkConfig c = new TrickleSinkConfig(m);
    assertThat(c.group()).isEqualTo("st");
    assertThat(c.isGroup()).isFalse();
    assertThat(c.members()).containsExactly(new TrickleSinkConfig.Member("st", "public.st", "trickle.st.st.abc"));
  }

  @Test
  void aGroupListsItsMembersInOrder() {
    Map<String, String> m = base();
    m.put(TrickleSinkConfig.GROUP, "g");
    m.put(TrickleSinkConfig.MEMBERS, "a,b");
    m.put(TrickleSinkConfig.TARGET_TABLES, "public.a,public.b");
    m.put(TrickleSinkConfig.TOPICS, "ta,tb");
    TrickleSinkConfig c = new TrickleSinkConfig(m);
    assertThat(c.isGroup()).isTrue();
    assertThat(c.members()).isEqualTo(List.of(new TrickleSinkConfig.Member("a", "public.a", "ta"),
        new TrickleSinkConfig.Member("b", "public.b", "tb")));
  }

  @Test
  void aConfigOfNeitherOrBothShapesIsRefused() {
    Map<String, String> both = base();
    both.put(TrickleSinkConfig.STREAM_TABLE, "st");
    both.put(TrickleSinkConfig.TARGET_TABLE, "public.st");
    both.put("topics", "t");
    both.put(TrickleSinkConfig.GROUP, "g");
    assertThatThrownBy(() -> new TrickleSinkConfig(both)).as("both shapes").isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> new TrickleSinkConfig(base())).as("neither").isInstanceOf(ConfigException.class);
    Map<String, String> twoTopics = base();
    twoTopics.put(TrickleSinkConfig.STREAM_TABLE, "st");
    twoTopics.put(TrickleSinkConfig.TARGET_TABLE, "public.st");
    twoTopics.put("topics", "t1,t2");
    assertThatThrownBy(() -> new TrickleSinkConfig(twoTopics)).as("one stream table, two topics")
        .isInstanceOf(ConfigException.class);
    Map<String, String> uneven = base();
    uneven.put(TrickleSinkConfig.GROUP, "g");
    uneven.put(TrickleSinkConfig.MEMBERS, "a,b");
    uneven.put(TrickleSinkConfig.TARGET_TABLES, "public.a");
    uneven.put(TrickleSinkConfig.TOPICS, "ta,tb");
    assertThatThrownBy(() -> new TrickleSinkConfig(uneven)).as("lists of different lengths")
        .isInstanceOf(ConfigException.class);
  }
}
