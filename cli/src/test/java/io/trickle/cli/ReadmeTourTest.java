package io.trickle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trickle.connectors.embedded.EmbeddedPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's tour works as written: every shell variable it uses is set in the tour before its
 * first use, every file it names exists, and the schema plus seed files it loads give every demo
 * stream table a non-empty result (so the tour shows rows, not empty tables).
 */
class ReadmeTourTest {
  static final Path ROOT = Path.of("..");
  static final Pattern ASSIGNMENT = Pattern.compile("^\\s*(?:export\\s+)?([A-Z_][A-Z0-9_]*)=");
  static final Pattern USE = Pattern.compile("\\$\\{?([A-Z_][A-Z0-9_]*)");
  static final Pattern FILE = Pattern.compile("\\bexamples/[A-Za-z0-9_./-]+");

  /** The shell lines of the tour: the bash blocks between its heading and the next heading. */
  static List<String> tourLines() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    int start = readme.indexOf("## A five-minute tour");
    assertThat(start).as("README has the tour").isGreaterThanOrEqualTo(0);
    int end = readme.indexOf("\n## ", start + 1);
    String tour = readme.substring(start, end < 0 ? readme.length() : end);
    List<String> lines = new ArrayList<>();
    boolean inBash = false;
    for (String line : tour.split("\n")) {
      if (line.startsWith("```")) {
        inBash = !inBash && line.equals("```bash");
      } else if (inBash) {
        lines.add(line);
      }
    }
    assertThat(lines).as("shell lines of the tour").hasSizeGreaterThan(5);
    return lines;
  }

  @Test
  void everyVariableIsSetBeforeItIsUsed() throws Exception {
    Set<String> set = new HashSet<>();
    for (String line : tourLines()) {
      String code = line.replaceAll("\\s#.*$", "");
      Matcher use = USE.matcher(code);
      while (use.find()) {
        assertThat(set).as("the tour uses $%s before setting it, in: %s", use.group(1), line)
            .contains(use.group(1));
      }
      Matcher a = ASSIGNMENT.matcher(code);
      if (a.find()) {
        set.add(a.group(1));
      }
    }
  }

  @Test
  void everyFileItNamesExists() throws Exception {
    int named = 0;
    for (String line : tourLines()) {
      Matcher f = FILE.matcher(line);
      while (f.find()) {
        named++;
        assertThat(ROOT.resolve(f.group())).as("named by the tour in: %s", line).exists();
      }
    }
    assertThat(named).as("files named by the tour").isGreaterThanOrEqualTo(3);
  }

  @Test
  void theSeededDemoTablesGiveEveryStreamTableRows() throws Exception {
    List<String> psqlFiles = new ArrayList<>();
    for (String line : tourLines()) {
      if (line.startsWith("psql ") && line.contains(" -f ")) {
        Matcher f = FILE.matcher(line);
        while (f.find()) {
          psqlFiles.add(f.group());
        }
      }
    }
    assertThat(psqlFiles).as("files the tour loads with psql").isNotEmpty();
    List<Path> definitions;
    try (var files = Files.list(ROOT.resolve("examples/demo"))) {
      definitions = files.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
    }
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start();
        Connection c = DriverManager.getConnection(server.jdbcUrl());
        Statement s = c.createStatement()) {
      for (String file : psqlFiles) {
        s.execute(Files.readString(ROOT.resolve(file)));
      }
      for (Path def : definitions) {
        String text = Files.readString(def);
        String query = text.substring(indexOfAs(text, def)).replaceAll(";\\s*$", "");
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM (" + query + ") q")) {
          rs.next();
          assertThat(rs.getLong(1)).as("rows of %s over the tour's seed", def.getFileName()).isPositive();
        }
      }
    }
  }

  /** Where the SELECT of {@code CREATE STREAM TABLE name AS SELECT ...} starts. */
  private static int indexOfAs(String text, Path def) {
    Matcher m = Pattern.compile("(?is)CREATE\\s+STREAM\\s+TABLE\\s+\\S+\\s+AS\\s+").matcher(text);
    assertThat(m.find()).as("%s is a CREATE STREAM TABLE ... AS", def).isTrue();
    return m.end();
  }
}
