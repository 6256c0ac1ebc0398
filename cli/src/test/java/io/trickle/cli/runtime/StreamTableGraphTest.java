package io.trickle.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.compiler.parse.DefinitionParser;
import io.trickle.compiler.parse.StreamTableDefinition;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deployment order of stream tables over stream tables, and cycle rejection. */
class StreamTableGraphTest {
  private static List<StreamTableDefinition> defs(String... files) {
    List<StreamTableDefinition> out = new ArrayList<>();
    for (String f : files) {
      out.add(DefinitionParser.parse(f));
    }
    return out;
  }

  private static List<String> names(List<StreamTableDefinition> defs) {
    return defs.stream().map(StreamTableDefinition::name).toList();
  }

  @Test
  void upstreamsComeBeforeTheStreamTablesThatReadThem() {
    StreamTableGraph g = StreamTableGraph.of(defs(
        "CREATE STREAM TABLE d AS SELECT b.id FROM b JOIN public.c ON c.id = b.id",
        "CREATE STREAM TABLE b AS SELECT id FROM a WHERE id > 0",
        "CREATE STREAM TABLE c AS SELECT id FROM a WHERE id IN (SELECT id FROM orders)",
        "CREATE STREAM TABLE a AS SELECT id FROM orders"));

    assertThat(g.cycles()).as("a diamond has no cycle").isEmpty();
    List<String> order = names(g.order());
    assertThat(order).containsExactlyInAnyOrder("a", "b", "c", "d");
    assertThat(order.indexOf("a")).as("a before b").isLessThan(order.indexOf("b"));
    assertThat(order.indexOf("a")).as("a before c").isLessThan(order.indexOf("c"));
    assertThat(order.indexOf("b")).as("b before d").isLessThan(order.indexOf("d"));
    assertThat(order.indexOf("c")).as("c before d (named as public.c)").isLessThan(order.indexOf("d"));
    assertThat(g.upstreams("d")).containsExactlyInAnyOrder("b", "c");
    assertThat(g.upstreams("a")).as("orders is a PostgreSQL table, not a stream table").isEmpty();
  }

  @Test
  void cyclesAreRejectedByNameAndTheirDownstreamsStillOrdered() {
    StreamTableGraph g = StreamTableGraph.of(defs(
        "CREATE STREAM TABLE a AS SELECT id FROM b",
        "CREATE STREAM TABLE b AS SELECT id FROM a",
        "CREATE STREAM TABLE self AS SELECT id FROM self",
        "CREATE STREAM TABLE x AS SELECT id FROM a",
        "CREATE STREAM TABLE ok AS SELECT id FROM orders"));

    assertThat(g.cycles()).containsOnlyKeys("a", "b", "self");
    assertThat(g.cycles().get("a")).isEqualTo("stream tables a -> b -> a form a cycle; a stream"
        + " table cannot read itself, directly or through other stream tables");
    assertThat(g.cycles().get("b")).as("every member gets the same message").isEqualTo(g.cycles().get("a"));
    assertThat(g.cycles().get("self")).startsWith("stream tables self -> self form a cycle");
    assertThat(names(g.order())).as("members of a cycle are never deployed; x fails as their reader")
        .containsExactly("x", "ok");
    assertThat(g.upstreams("x")).containsExactly("a");
  }

  @Test
  void aQueryThatDoesNotParseHasNoEdgesAndFailsWhenCompiled() {
    StreamTableGraph g = StreamTableGraph.of(defs("CREATE STREAM TABLE bad AS SELECT FROM WHERE"));
    assertThat(names(g.order())).containsExactly("bad");
  }
}
