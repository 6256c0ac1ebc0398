package io.trickle.cli.runtime;

import io.trickle.compiler.CompileException;
import io.trickle.compiler.parse.StreamTableDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Consistency groups: {@code CREATE STREAM TABLE d WITH (consistency_group = 'g1') AS ...}. The
 * members of a group are applied by one sink, in one PostgreSQL transaction per common source
 * commit, so a reader joining them never sees two members at different LSNs. A group belongs to
 * one deployment, which reads one source database.
 */
public final class ConsistencyGroups {
  public static final String OPTION = "consistency_group";

  private final Map<String, List<Deployment.Deployed>> groups = new LinkedHashMap<>();
  private final Map<String, String> groupOf = new LinkedHashMap<>();

  private ConsistencyGroups() {}

  /** The definition's group, or null; a bad name is a compile error. */
  public static String groupOf(StreamTableDefinition def) {
    String group = def.options().get(OPTION);
    if (group != null && !group.matches("[a-z0-9_]{1,48}")) {
      throw new CompileException(def.start(), "consistency_group '" + group + "' must be 1 to 48"
          + " lower-case letters, digits or underscores (it names the group's sink connector)");
    }
    if (group != null && def.name().contains(",")) {
      throw new CompileException(def.start(), "stream table \"" + def.name() + "\" cannot join a"
          + " consistency group: the group's sink lists its members separated by ',' (rename it)");
    }
    return group;
  }

  static void check(StreamTableDefinition def) {
    groupOf(def);
  }

  static ConsistencyGroups of(List<Deployment.Deployed> deployed) {
    ConsistencyGroups g = new ConsistencyGroups();
    for (Deployment.Deployed d : deployed) {
      String group = groupOf(d.definition());
      if (group != null) {
        g.groups.computeIfAbsent(group, k -> new ArrayList<>()).add(d);
        g.groupOf.put(d.definition().name(), group);
      }
    }
    return g;
  }

  /** Group → its deployed members, in deployment order. */
  Map<String, List<Deployment.Deployed>> groups() {
    return groups;
  }

  String groupOf(String streamTable) {
    return groupOf.get(streamTable);
  }
}
