package io.trickle.compiler.parse;

import java.util.List;

/**
 * What PostgreSQL says about a defining query: its result columns with exact types, and the
 * functions it (or a view it reads) calls that are not immutable, e.g. {@code random()} ('v'), and
 * where it depends on a text collation trickle cannot reproduce.
 */
public record PgValidation(List<PgOutputColumn> columns, List<NonImmutableFunction> functions,
    List<TextCollationUse> textCollations) {

  /**
   * {@code display} is how to name it in a message, e.g. {@code random()}; {@code proc} and
   * {@code args} are the function (for an operator, the function implementing it) and its
   * argument types as {@code pg_catalog.oidvectortypes} spells them.
   */
  public record NonImmutableFunction(String name, String display, char provolatile, String proc,
      String args) {
    private static final String TZ = "timestamp with time zone";
    private static final java.util.regex.Pattern COMPARISON = java.util.regex.Pattern.compile(
        "(date|timestamp|timestamptz)_(lt|le|eq|ne|gt|ge|cmp)_(date|timestamp|timestamptz)");

    public NonImmutableFunction(String name, String display, char provolatile) {
      this(name, display, provolatile, name, "");
    }

    /**
     * Whether it is stable only because it reads the TimeZone setting, which a stream table pins:
     * casts between timestamptz and date, timestamp or time, date_trunc, date_part and EXTRACT
     * of a timestamptz, and comparisons of timestamptz with date or timestamp.
     */
    public boolean readsOnlyTimeZone() {
      if (provolatile != 's' || proc == null || args == null) {
        return false;
      }
      return switch (proc) {
        case "timestamptz" -> args.equals("date") || args.equals("timestamp without time zone");
        case "date", "timestamp", "time" -> args.equals(TZ);
        case "date_trunc", "date_part", "extract" -> args.equals("text, " + TZ);
        default -> COMPARISON.matcher(proc).matches();
      };
    }
  }

  public PgValidation {
    columns = List.copyOf(columns);
    functions = List.copyOf(functions);
    textCollations = List.copyOf(textCollations);
  }
}
