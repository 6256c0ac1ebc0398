package io.trickle.connectors.ddl;

import io.trickle.compiler.plan.Column;
import io.trickle.compiler.plan.RowKey;
import java.util.ArrayList;
import java.util.List;

/**
 * DDL of a stream table's target table: the query's PostgreSQL result types, and a primary key
 * on the row key (DESIGN §5). Hidden columns start with {@code __trickle_}:
 *
 * <ul>
 *   <li>{@code __trickle_key}: the primary key when the row key has no user columns: a row hash
 *       (text) when duplicates are possible, the constant 1 for a single-row result;
 *   <li>{@code __trickle_count}: the multiplicity of a row when duplicates are possible.
 * </ul>
 */
public final class TargetTable {
  public static final String KEY_COLUMN = "__trickle_key";
  public static final String COUNT_COLUMN = "__trickle_count";

  private TargetTable() {}

  public static String createSql(String qualifiedName, List<Column> columns, RowKey key) {
    List<String> defs = new ArrayList<>();
    List<String> pk = new ArrayList<>();
    if (!key.unique()) {
      defs.add(KEY_COLUMN + " text NOT NULL");
      defs.add(COUNT_COLUMN + " bigint NOT NULL CHECK (" + COUNT_COLUMN + " > 0)");
      pk.add(KEY_COLUMN);
    } else if (key.columns().isEmpty()) {
      defs.add(KEY_COLUMN + " integer NOT NULL DEFAULT 1 CHECK (" + KEY_COLUMN + " = 1)");
      pk.add(KEY_COLUMN);
    }
    for (int i = 0; i < columns.size(); i++) {
      Column c = columns.get(i);
      boolean inKey = key.unique() && key.columns().contains(i);
      defs.add(quote(c.name()) + " " + c.type().pgType() + (inKey ? " NOT NULL" : ""));
      if (inKey) {
        pk.add(quote(c.name()));
      }
    }
    if (key.unique() && !key.columns().isEmpty()) {
      // Keep the primary key in row-key order, which is also the output topic's key order.
      pk.clear();
      for (int i : key.columns()) {
        pk.add(quote(columns.get(i).name()));
      }
    }
    return "CREATE TABLE " + qualifiedName + " (" + String.join(", ", defs)
        + ", PRIMARY KEY (" + String.join(", ", pk) + "))";
  }

  /** Quotes an identifier the way PostgreSQL's quote_ident does. */
  public static String quote(String ident) {
    if (ident.matches("[a-z_][a-z0-9_]*") && !Reserved.is(ident)) {
      return ident;
    }
    return '"' + ident.replace("\"", "\"\"") + '"';
  }

  /** The few reserved words a result column is likely to be named after. */
  private static final class Reserved {
    private static final java.util.Set<String> WORDS = java.util.Set.of("user", "order", "group",
        "select", "from", "where", "table", "limit", "offset", "case", "end", "when", "default",
        "check", "primary", "references", "all", "any", "and", "or", "not", "null", "true",
        "false", "to", "as", "desc", "asc", "column", "constraint", "union", "having");

    static boolean is(String s) {
      return WORDS.contains(s);
    }
  }
}
