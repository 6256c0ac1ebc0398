package io.trickle.cli.runtime;

import io.trickle.compiler.CompileException;
import io.trickle.compiler.parse.DefinitionParser;
import io.trickle.compiler.parse.StreamTableDefinition;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads a definitions directory: every {@code *.sql} file holds one CREATE STREAM TABLE. */
public final class Definitions {
  private Definitions() {}

  /** The parsed definitions, and the files that failed with their messages. */
  public record Loaded(List<StreamTableDefinition> definitions, Map<Path, String> failures) {}

  public static Loaded load(Path dir, PrintStream out) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--definitions " + dir + " is not a directory");
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
    }
    List<StreamTableDefinition> defs = new ArrayList<>();
    Map<Path, String> failures = new LinkedHashMap<>();
    for (Path f : files) {
      try {
        defs.add(DefinitionParser.parse(Files.readString(f)));
      } catch (CompileException e) {
        failures.put(f, e.getMessage());
        out.printf("error: %s: %s%n", f, e.getMessage());
      }
    }
    return new Loaded(defs, failures);
  }
}
