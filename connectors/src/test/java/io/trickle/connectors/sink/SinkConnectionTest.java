package io.trickle.connectors.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SinkConnectionTest {
  @Test
  void thePasswordIsItsOwnPasswordTypedKey() {
    assertThat(TrickleSinkConfig.DEF.configKeys().get(SinkConnection.PASSWORD).type)
        .as("type of " + SinkConnection.PASSWORD).isEqualTo(org.apache.kafka.common.config.ConfigDef.Type.PASSWORD);
    TrickleSinkConfig c = new TrickleSinkConfig(Map.of(SinkConnection.URL, "jdbc:postgresql://db/shop?user=u",
        SinkConnection.PASSWORD, "s3cret", TrickleSinkConfig.STREAM_TABLE, "st", TrickleSinkConfig.TARGET_TABLE, "public.st",
        "topics", "trickle.st.st.h"));
    assertThat(c.toString()).as("the config as Connect would log it").doesNotContain("s3cret");
  }

  @Test
  void aUrlHoldingAPasswordIsRefusedWithoutRepeatingIt() {
    assertThatThrownBy(() -> new TrickleSinkConfig(Map.of(SinkConnection.URL, "jdbc:postgresql://db/shop?user=u&password=s3cret",
        TrickleSinkConfig.STREAM_TABLE, "st", TrickleSinkConfig.TARGET_TABLE, "public.st")))
        .as("connection.url with a password").isInstanceOf(ConfigException.class)
        .hasMessageContaining(SinkConnection.PASSWORD).hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> new TrickleSinkConfig(Map.of(SinkConnection.URL, "jdbc:postgresql://db/shop?PASSWORD=s3cret",
        TrickleSinkConfig.GROUP, "g", TrickleSinkConfig.MEMBERS, "a", TrickleSinkConfig.TARGET_TABLES, "public.a",
        TrickleSinkConfig.TOPICS, "t")))
        .as("the group sink's connection.url with a password").isInstanceOf(ConfigException.class)
        .hasMessageNotContaining("s3cret");
  }
}
