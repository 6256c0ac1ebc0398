package io.trickle.cli.runtime;

import io.trickle.compiler.CompileException;
import io.trickle.compiler.parse.StreamTableDefinition;
import io.trickle.compiler.parse.TableReferences;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which stream tables read which: a definition naming another definition's target table in FROM
 * depends on it. Gives a deployment order with every upstream before its downstreams (their
 * target tables must exist before a downstream is compiled against the catalog), and rejects
 * cycles, naming them.
 */
public final class StreamTableGraph {
  private final Map<String, StreamTableDefinition> byName = new LinkedHashMap<>();
  private final Map<String, Set<String>> upstreams = new LinkedHashMap<>();
  private final List<StreamTableDefinition> order = new ArrayList<>();
  private final Map<String, String> cycles = new LinkedHashMap<>();

  private StreamTableGraph() {}

  /** Definitions whose query does not parse get no edges; compiling them reports the error. */
  public static StreamTableGraph of(List<StreamTableDefinition> definitions) {
    StreamTableGraph g = new StreamTableGraph();
    Map<String, String> byTarget = new HashMap<>();
    for (StreamTableDefinition d : definitions) {
      g.byName.put(d.name(), d);
      byTarget.put(targetTable(d.name()), d.name());
    }
    for (StreamTableDefinition d : definitions) {
      Set<String> ups = new LinkedHashSet<>();
      try {
        for (String ref : TableReferences.of(d)) {
          String up = byTarget.get(ref.contains(".") ? ref : "public." + ref);
          if (up != null) {
            ups.add(up);
          }
        }
      } catch (CompileException e) {
        // reported when the definition is compiled
      }
      g.upstreams.put(d.name(), ups);
    }
    g.sort();
    return g;
  }

  /**
   * The target table of a stream table as the compiler's catalog names tables ({@code
   * schema.table}, unquoted: {@link StreamTableNames#qualifiedName()}); a lookup key, not SQL.
   */
  static String targetTable(String streamTable) {
    return new StreamTableNames(streamTable, "", "").qualifiedName();
  }

  /** Every definition not in a cycle, each after the stream tables it reads. */
  public List<StreamTableDefinition> order() {
    return List.copyOf(order);
  }

  /** Stream table → why it is rejected: {@code stream tables a -> b -> a form a cycle}. */
  public Map<String, String> cycles() {
    return Map.copyOf(cycles);
  }

  /** The stream tables of this set that {@code name} reads directly. */
  public Set<String> upstreams(String name) {
    return Set.copyOf(upstreams.getOrDefault(name, Set.of()));
  }

  private void sort() {
    Map<String, Integer> state = new HashMap<>(); // absent: unvisited, 1: on the path, 2: done
    for (String name : byName.keySet()) {
      visit(name, state, new ArrayList<>());
    }
  }

  private void visit(String name, Map<String, Integer> state, List<String> path) {
    Integer s = state.get(name);
    if (s != null) {
      if (s == 1) {
        List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
        cycle.add(name);
        String message = "stream tables " + String.join(" -> ", cycle) + " form a cycle; a stream"
            + " table cannot read itself, directly or through other stream tables";
        for (String member : cycle) {
          cycles.putIfAbsent(member, message);
        }
      }
      return;
    }
    state.put(name, 1);
    path.add(name);
    for (String up : upstreams.get(name)) {
      visit(up, state, path);
    }
    path.remove(path.size() - 1);
    state.put(name, 2);
    if (!cycles.containsKey(name)) {
      order.add(byName.get(name));
    }
  }
}
