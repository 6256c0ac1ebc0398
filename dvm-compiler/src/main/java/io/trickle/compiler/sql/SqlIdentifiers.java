package io.trickle.compiler.sql;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.postgresql.core.Utils;

/**
 * The one place where trickle turns a name into SQL text. Every identifier that goes into a
 * statement (stream table and target table names, schema names, column names, constraint and
 * publication names) is quoted here, always, with pgjdbc's own escaping: a quoted identifier
 * keeps its case, cannot be taken for a keyword ({@code "in"}, {@code "left"}), and cannot end
 * early (a {@code "} inside is doubled).
 */
public final class SqlIdentifiers {
  /** PostgreSQL truncates longer identifiers (NAMEDATALEN - 1 bytes). */
  public static final int MAX_BYTES = 63;

  private SqlIdentifiers() {}

  /** {@code "name"}, with any {@code "} inside doubled. */
  public static String quote(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("an SQL identifier cannot be empty");
    }
    try {
      return Utils.escapeIdentifier(null, name).toString();
    } catch (SQLException e) { // a NUL character, which PostgreSQL cannot store in a name
      throw new IllegalArgumentException("invalid SQL identifier: " + e.getMessage(), e);
    }
  }

  /** {@code "schema"."table"}. */
  public static String qualified(String schema, String table) {
    return quote(schema) + "." + quote(table);
  }

  /**
   * Why a name cannot be used as a PostgreSQL identifier, or null when it can: empty, a control
   * character (including NUL), or longer than PostgreSQL keeps (it would silently cut it, so two
   * long names would become one table).
   */
  public static String problem(String name) {
    if (name == null || name.isEmpty()) {
      return "a name cannot be empty";
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        return "a name cannot hold control characters (found U+"
            + String.format("%04X", (int) name.charAt(i)) + ")";
      }
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return "a name is at most " + MAX_BYTES + " bytes long in PostgreSQL";
    }
    return null;
  }
}
