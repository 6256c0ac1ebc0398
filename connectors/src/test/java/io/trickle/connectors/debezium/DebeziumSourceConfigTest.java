package io.trickle.connectors.debezium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DebeziumSourceConfigTest {
  private static Map<String, String> config() {
    return DebeziumSourceConfig.builder().host("db").port(5433).database("shop").user("u").password("${env:PGPASSWORD}")
        .tables(Set.of("public.orders", "sales.line-items")).changesTopic("trickle.src.shop.changes")
        .slot("trickle_shop").publication("trickle_shop").build();
  }

  @Test
  void thePasswordIsAReferenceNeverAValue() {
    assertThat(config()).as("connector config").containsEntry("database.password", "${env:PGPASSWORD}");
    assertThatThrownBy(() -> DebeziumSourceConfig.builder().password("hunter2"))
        .as("a literal password would be stored and served by Connect")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reference")
        .hasMessageNotContaining("hunter2");
    assertThat(DebeziumSourceConfig.builder().host("db").database("shop").user("u").password(null)
        .changesTopic("t").slot("s").publication("p").build())
        .as("no password (trust or .pgpass authentication)").containsEntry("database.password", "");
  }

  @Test
  void fixedSettingsFollowTheSourceContract() {
    assertThat(config()).as("connector config")
        .containsEntry("connector.class", "io.debezium.connector.postgresql.PostgresConnector")
        .containsEntry("plugin.name", "pgoutput")
        .containsEntry("publication.autocreate.mode", "disabled")
        .containsEntry("decimal.handling.mode", "string")
        .containsEntry("time.precision.mode", "adaptive_time_microseconds")
        .containsEntry("skipped.operations", "none")
        .containsEntry("tombstones.on.delete", "false")
        .containsEntry("provide.transaction.metadata", "true")
        .containsEntry("heartbeat.interval.ms", "1000")
        .containsEntry("snapshot.mode", "initial")
        .containsEntry("transforms.route.regex", ".*")
        .containsEntry("transforms.route.replacement", "trickle.src.shop.changes")
        .containsEntry("value.converter.schemas.enable", "false")
        .containsEntry("topic.prefix", "trickle.src.shop")
        .doesNotContainKey("signal.data.collection");
  }

  @Test
  void includeListMatchesExactlyTheCapturedTablesAndTheHeartbeat() {
    String list = config().get("table.include.list");
    var patterns = java.util.Arrays.stream(list.split("(?<!\\\\),")).map(Pattern::compile).toList();
    for (String t : new String[] {"public.orders", "sales.line-items", "trickle.heartbeat"}) {
      assertThat(patterns.stream().anyMatch(p -> p.matcher(t).matches())).as("%s captured by %s", t, list).isTrue();
    }
    assertThat(patterns.stream().anyMatch(p -> p.matcher("publicXorders").matches()))
        .as("dots are literal in %s", list).isFalse();
  }

  @Test
  void signalTableIsCapturedAndNamed() {
    Map<String, String> m = DebeziumSourceConfig.builder().database("shop").user("u").tables(Set.of("orders"))
        .changesTopic("t").slot("s").publication("p").signalTable("trickle.debezium_signal").build();
    assertThat(m).as("config").containsEntry("signal.data.collection", "trickle.debezium_signal");
    assertThat(m.get("table.include.list")).as("include list")
        .contains("trickle\\.debezium_signal").contains("public\\.orders");
  }

  @Test
  void missingNamesAreRejected() {
    assertThatThrownBy(() -> DebeziumSourceConfig.builder().database("d").user("u").build())
        .as("no changes topic").isInstanceOf(NullPointerException.class).hasMessageContaining("changesTopic");
  }
}
