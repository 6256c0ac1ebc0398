package io.trickle.cli.tpch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * One definitions file of {@code tpch/queries} ({@code q01.sql}: the specification's query).
 *
 * @param id the file name without {@code .sql}, e.g. {@code q01}
 * @param text the whole file: {@code CREATE STREAM TABLE tpch_q01 AS SELECT ...;}
 */
public record TpchQuery(String id, Path file, String text) {

  /** The query number, 1 to 22. */
  public int number() {
    return Integer.parseInt(id.substring(1));
  }

  public static List<TpchQuery> load(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".sql")).sorted().toList();
    }
    List<TpchQuery> out = new ArrayList<>();
    for (Path f : files) {
      String name = f.getFileName().toString();
      out.add(new TpchQuery(name.substring(0, name.length() - 4), f, Files.readString(f)));
    }
    return out;
  }

  /**
   * The same definition with its final top-level ORDER BY (and the LIMIT after it) cut off, or
   * null when it has none: what the query would need from the compiler beyond ordering. Line and
   * column positions stay those of the file, since only the tail changes.
   */
  public String withoutOrderBy() {
    int depth = 0;
    int last = -1;
    String lower = text.toLowerCase(Locale.ROOT);
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch == '-' && i + 1 < text.length() && text.charAt(i + 1) == '-') {
        int eol = text.indexOf('\n', i);
        i = eol < 0 ? text.length() : eol;
      } else if (ch == '\'') {
        int close = text.indexOf('\'', i + 1);
        i = close < 0 ? text.length() : close;
      } else if (ch == '(') {
        depth++;
      } else if (ch == ')') {
        depth--;
      } else if (depth == 0 && lower.startsWith("order", i) && (i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1)))
          && lower.substring(i + 5).stripLeading().startsWith("by")) {
        last = i;
      }
    }
    return last < 0 ? null : text.substring(0, last).stripTrailing() + ";\n";
  }
}
