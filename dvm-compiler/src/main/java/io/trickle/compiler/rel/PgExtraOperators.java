package io.trickle.compiler.rel;

import java.util.List;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlNameMatcher;
import org.apache.calcite.sql.validate.SqlNameMatchers;

/**
 * PostgreSQL aggregates Calcite files under other libraries ({@code bool_and}, {@code bool_or}).
 * Their names are upper case, so they are looked up case-insensitively, as Calcite's built-in
 * tables are.
 */
final class PgExtraOperators implements SqlOperatorTable {
  static final PgExtraOperators INSTANCE = new PgExtraOperators();

  private final SqlOperatorTable table =
      SqlOperatorTables.of(SqlLibraryOperators.BOOL_AND, SqlLibraryOperators.BOOL_OR);

  private PgExtraOperators() {}

  @Override
  public void lookupOperatorOverloads(SqlIdentifier opName, SqlFunctionCategory category,
      SqlSyntax syntax, List<SqlOperator> operatorList, SqlNameMatcher nameMatcher) {
    table.lookupOperatorOverloads(opName, category, syntax, operatorList,
        SqlNameMatchers.withCaseSensitive(false));
  }

  @Override
  public List<SqlOperator> getOperatorList() {
    return table.getOperatorList();
  }
}
