package io.trickle.compiler.rel;

import java.util.List;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.util.SqlOperatorTables;

/**
 * PostgreSQL functions Calcite's tables lack or only know under an upper-case name (lookup is
 * case-sensitive here, and PostgreSQL folds function names to lower case). Types only need to be
 * right enough for Calcite; PostgreSQL has already resolved the query, and the translator types
 * each call the way PostgreSQL does.
 */
public final class PgFunctionTable {
  private PgFunctionTable() {}

  public static final SqlFunction LENGTH = new SqlFunction("length", SqlKind.OTHER_FUNCTION,
      ReturnTypes.INTEGER_NULLABLE, null, OperandTypes.CHARACTER, SqlFunctionCategory.STRING);

  public static final SqlFunction BTRIM = trim("btrim");
  public static final SqlFunction LTRIM = trim("ltrim");
  public static final SqlFunction RTRIM = trim("rtrim");

  public static final SqlFunction TRUNC = new SqlFunction("trunc", SqlKind.OTHER_FUNCTION,
      ReturnTypes.ARG0_NULLABLE, null,
      OperandTypes.or(OperandTypes.NUMERIC, OperandTypes.NUMERIC_INTEGER),
      SqlFunctionCategory.NUMERIC);

  public static final SqlFunction GREATEST = extreme("greatest");
  public static final SqlFunction LEAST = extreme("least");

  public static final SqlFunction DATE_TRUNC = dateTrunc("date_trunc");
  /** Babel parses date_trunc as a keyword and keeps the upper-case spelling. */
  public static final SqlFunction DATE_TRUNC_KEYWORD = dateTrunc("DATE_TRUNC");

  /** {@code interval '90 days'} after {@link PgIntervalLiterals} rewrote it. */
  public static final SqlFunction INTERVAL_TEXT = new SqlFunction(PgIntervalLiterals.FUNCTION,
      SqlKind.OTHER_FUNCTION, opBinding -> PgDateTimeOperators.interval(
          opBinding.getTypeFactory()), null, OperandTypes.CHARACTER, SqlFunctionCategory.SYSTEM);

  /** age(timestamp, timestamp); the one-argument form is stable and rejected by volatility. */
  public static final SqlFunction AGE = new SqlFunction("age", SqlKind.OTHER_FUNCTION,
      ReturnTypes.cascade(opBinding -> PgDateTimeOperators.interval(opBinding.getTypeFactory()),
          org.apache.calcite.sql.type.SqlTypeTransforms.TO_NULLABLE), null,
      OperandTypes.family(SqlTypeFamily.DATETIME, SqlTypeFamily.DATETIME),
      SqlFunctionCategory.TIMEDATE);

  /** date_part(text, date/timestamp/time): double precision, unlike EXTRACT. */
  public static final SqlFunction DATE_PART = new SqlFunction("date_part", SqlKind.OTHER_FUNCTION,
      ReturnTypes.DOUBLE_NULLABLE, null,
      OperandTypes.family(SqlTypeFamily.CHARACTER, SqlTypeFamily.DATETIME),
      SqlFunctionCategory.TIMEDATE);

  /**
   * sqrt(numeric) is numeric; any other number goes to the double precision overload. Named
   * apart from Calcite's SQRT (which it converts to power(x, 0.5) and types double) so that
   * validation keeps it; PgDateTimeOperators swaps it in for every sqrt call.
   */
  public static final SqlFunction SQRT = new SqlFunction("pg_sqrt", SqlKind.OTHER_FUNCTION,
      ReturnTypes.cascade(opBinding -> opBinding.getOperandType(0).getSqlTypeName()
          == org.apache.calcite.sql.type.SqlTypeName.DECIMAL ? opBinding.getOperandType(0)
          : opBinding.getTypeFactory().createSqlType(
              org.apache.calcite.sql.type.SqlTypeName.DOUBLE),
          org.apache.calcite.sql.type.SqlTypeTransforms.TO_NULLABLE), null,
      OperandTypes.NUMERIC, SqlFunctionCategory.NUMERIC);

  /** div(numeric, numeric): the quotient truncated towards zero. */
  public static final SqlFunction DIV = new SqlFunction("div", SqlKind.OTHER_FUNCTION,
      ReturnTypes.ARG0_NULLABLE, null, OperandTypes.NUMERIC_NUMERIC, SqlFunctionCategory.NUMERIC);

  public static SqlOperatorTable instance() {
    return SqlOperatorTables.of(List.of(LENGTH, BTRIM, LTRIM, RTRIM, TRUNC, GREATEST, LEAST,
        DATE_TRUNC, DATE_TRUNC_KEYWORD, INTERVAL_TEXT, AGE, DATE_PART, SQRT, DIV));
  }

  private static SqlFunction trim(String name) {
    return new SqlFunction(name, SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0_NULLABLE_VARYING, null,
        OperandTypes.or(OperandTypes.CHARACTER, OperandTypes.STRING_STRING),
        SqlFunctionCategory.STRING);
  }

  private static SqlFunction extreme(String name) {
    return new SqlFunction(name, SqlKind.OTHER_FUNCTION, ReturnTypes.LEAST_RESTRICTIVE, null,
        OperandTypes.VARIADIC, SqlFunctionCategory.SYSTEM);
  }

  private static SqlFunction dateTrunc(String name) {
    return new SqlFunction(name, SqlKind.OTHER_FUNCTION, ReturnTypes.ARG1_NULLABLE, null,
        OperandTypes.family(SqlTypeFamily.CHARACTER, SqlTypeFamily.TIMESTAMP),
        SqlFunctionCategory.TIMEDATE);
  }
}
