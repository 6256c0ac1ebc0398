package io.trickle.connectors.ddl;

import io.trickle.compiler.plan.Column;
import io.trickle.compiler.plan.RowKey;
import io.trickle.compiler.sql.SqlIdentifiers;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * DDL of a stream table's target table: the query's PostgreSQL result types, and a key on the
 * row key (DESIGN §5): a primary key, or {@code UNIQUE NULLS NOT DISTINCT} over user columns. Hidden columns start with {@code __trickle_}:
 *
 * <ul>
 *   <li>{@code __trickle_key}: the primary key when the row key has no user columns: when
 *       duplicates are possible, {@code <row hash>:<ordinal>} (text), one target row per copy of
 *       a row, so {@code SELECT <user columns>} returns the query's duplicates as rows; the
 *       constant 1 for a single-row result.
 * </ul>
 */
public final class TargetTable {
  public static final String KEY_COLUMN = "__trickle_key";

  private TargetTable() {}

  /** The first PostgreSQL version ({@code server_version_num}) with UNIQUE NULLS NOT DISTINCT. */
  public static final int NULLS_NOT_DISTINCT_SINCE = 150000;
  /** Suffix of the unique key constraint's name; the compiler's catalog reader recognises it. */
  public static final String KEY_CONSTRAINT_SUFFIX = "_trickle_key";
  private static final int MAX_IDENTIFIER_BYTES = 63;

  /**
   * The CREATE TABLE statement. A row key over user columns may hold NULLs (a GROUP BY column has
   * one group for all NULLs), so from PostgreSQL 15 on it is a {@code UNIQUE NULLS NOT DISTINCT}
   * constraint, which allows exactly one row per key including the NULL one; older servers get a
   * primary key, whose NOT NULL columns reject a NULL key (the sink then puts the stream table in
   * error).
   *
   * @param qualifiedName the table as SQL text, its parts quoted ({@link SqlIdentifiers#qualified})
   * @param serverVersionNum the target server's {@code server_version_num}, e.g. 150004
   */
  public static String createSql(String qualifiedName, List<Column> columns, RowKey key,
      int serverVersionNum) {
    boolean userKey = key.unique() && !key.columns().isEmpty();
    boolean nullableKey = userKey && serverVersionNum >= NULLS_NOT_DISTINCT_SINCE;
    List<String> defs = new ArrayList<>();
    List<String> pk = new ArrayList<>();
    if (!key.unique()) {
      defs.add(KEY_COLUMN + " text NOT NULL");
      pk.add(KEY_COLUMN);
    } else if (key.columns().isEmpty()) {
      defs.add(KEY_COLUMN + " integer NOT NULL DEFAULT 1 CHECK (" + KEY_COLUMN + " = 1)");
      pk.add(KEY_COLUMN);
    }
    for (int i = 0; i < columns.size(); i++) {
      Column c = columns.get(i);
      boolean notNull = userKey && !nullableKey && key.columns().contains(i);
      defs.add(quote(c.name()) + " " + c.type().pgType() + (notNull ? " NOT NULL" : ""));
    }
    if (userKey) {
      // Keep the key in row-key order, which is also the output topic's key order.
      for (int i : key.columns()) {
        pk.add(quote(columns.get(i).name()));
      }
    }
    String constraint = nullableKey
        ? "CONSTRAINT " + quote(keyConstraintName(qualifiedName)) + " UNIQUE NULLS NOT DISTINCT ("
        : "PRIMARY KEY (";
    return "CREATE TABLE " + qualifiedName + " (" + String.join(", ", defs) + ", " + constraint
        + String.join(", ", pk) + "))";
  }

  /**
   * The name of the unique key constraint (and its index) of a target table: the table's name plus
   * {@link #KEY_CONSTRAINT_SUFFIX}, with the table's name cut and tagged with a hash when the whole
   * would exceed PostgreSQL's 63-byte identifiers, so that it stays deterministic and distinct.
   */
  public static String keyConstraintName(String qualifiedName) {
    String table = unqualified(qualifiedName);
    String name = table + KEY_CONSTRAINT_SUFFIX;
    if (name.getBytes(StandardCharsets.UTF_8).length <= MAX_IDENTIFIER_BYTES) {
      return name;
    }
    String tag = String.format("_%08x", table.hashCode());
    int room = MAX_IDENTIFIER_BYTES - tag.length() - KEY_CONSTRAINT_SUFFIX.length();
    StringBuilder prefix = new StringBuilder();
    for (int cp : table.codePoints().toArray()) {
      String next = new String(Character.toChars(cp));
      if ((prefix + next).getBytes(StandardCharsets.UTF_8).length > room) {
        break;
      }
      prefix.append(next);
    }
    return prefix + tag + KEY_CONSTRAINT_SUFFIX;
  }

  /** The server's {@code server_version_num}, e.g. 150004 for 15.4. */
  public static int serverVersionNum(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version_num")) {
      rs.next();
      return Integer.parseInt(rs.getString(1).trim());
    }
  }

  /** The table name without its schema and without identifier quotes. */
  private static String unqualified(String qualifiedName) {
    StringBuilder part = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < qualifiedName.length(); i++) {
      char ch = qualifiedName.charAt(i);
      if (ch == '"' && quoted && i + 1 < qualifiedName.length() && qualifiedName.charAt(i + 1) == '"') {
        part.append('"');
        i++;
      } else if (ch == '"') {
        quoted = !quoted;
      } else if (ch == '.' && !quoted) {
        part.setLength(0);
      } else {
        part.append(ch);
      }
    }
    return part.toString();
  }

  /**
   * Quotes an identifier, always (so {@code "in"}, {@code "left"}, {@code "MixedCase"} and a name
   * holding {@code "} are all safe); the one quoting function is {@link SqlIdentifiers#quote}.
   */
  public static String quote(String ident) {
    return SqlIdentifiers.quote(ident);
  }
}
