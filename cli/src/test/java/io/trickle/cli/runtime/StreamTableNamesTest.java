package io.trickle.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Names derived from stream table names that are quoted, mixed case or hostile (issue 9, item 7). */
class StreamTableNamesTest {
  private static final List<String> NAMES = List.of("orders_by_day", "analytics.totals", "MixedCase",
      "mixedcase", "x; DROP TABLE victim; --", "../../etc/passwd", "..", "a.b.c", "a b", "a_b", "a-b",
      "naïve", "Ünïcödé", "x".repeat(63), "x".repeat(62) + "y", "\"quoted\"", "a.", ".a");

  @Test
  void kafkaNamesAreLegalDeterministicAndDistinct() {
    Set<String> topics = new HashSet<>();
    Set<String> apps = new HashSet<>();
    Set<String> sinks = new HashSet<>();
    for (String name : NAMES) {
      StreamTableNames n = new StreamTableNames(name, "0123abcd", "trickle.src.db.changes");
      for (String derived : List.of(n.outputTopic(), n.applicationId(), n.sinkConnector())) {
        assertThat(derived).as("derived from %s", name).matches("[A-Za-z0-9._-]{1,200}")
            .doesNotContain("..").doesNotContain("/");
      }
      assertThat(n.outputTopic()).as("deterministic")
          .isEqualTo(new StreamTableNames(name, "0123abcd", "x").outputTopic());
      assertThat(topics.add(n.outputTopic())).as("topic of %s is distinct", name).isTrue();
      assertThat(apps.add(n.applicationId())).as("application id of %s is distinct", name).isTrue();
      assertThat(sinks.add(n.sinkConnector())).as("sink connector of %s is distinct", name).isTrue();
    }
    assertThat(new StreamTableNames("orders_by_day", "h", "t").outputTopic())
        .as("a plain name keeps the topic it always had").isEqualTo("trickle.st.orders_by_day.h");
    assertThat(new StreamTableNames("analytics.totals", "h", "t").applicationId())
        .isEqualTo("trickle-analytics.totals-h");
  }

  @Test
  void changeTopicsAreNamedFromTheDatabaseAndTheTable() {
    StreamTableNames n = new StreamTableNames("totals", "h", "trickle.src.shop.changes");
    assertThat(n.changeTopic("public.orders")).isEqualTo("trickle.chg.shop.public.orders");
    Set<String> seen = new HashSet<>();
    for (String table : List.of("public.Orders", "public.orders", "a b.c", "public.naïve",
        "public." + "x".repeat(80))) {
      String topic = n.changeTopic(table);
      assertThat(topic).as("change topic of %s", table).matches("[A-Za-z0-9._-]{1,200}")
          .startsWith("trickle.chg.shop.");
      assertThat(seen.add(topic)).as("change topic of %s is distinct", table).isTrue();
    }
    assertThat(n.changeTopic("public.Orders")).as("tagged with a hash once sanitised")
        .matches("trickle\\.chg\\.shop\\.public_Orders-[0-9a-f]{10}");
  }

  @Test
  void targetTablesAreQuotedSqlThatKeepsCase() {
    assertThat(new StreamTableNames("MixedCase", "", "").targetTable()).isEqualTo("\"public\".\"MixedCase\"");
    assertThat(new StreamTableNames("x\"; DROP TABLE victim; --", "", "").targetTable())
        .isEqualTo("\"public\".\"x\"\"; DROP TABLE victim; --\"");
    StreamTableNames qualified = new StreamTableNames("analytics.Totals", "", "");
    assertThat(qualified.targetTable()).isEqualTo("\"analytics\".\"Totals\"");
    assertThat(qualified.qualifiedName()).as("the catalog's lookup key").isEqualTo("analytics.Totals");
    assertThat(new StreamTableNames(".a", "", "").targetTable()).as("no empty schema")
        .isEqualTo("\"public\".\".a\"");
  }
}
