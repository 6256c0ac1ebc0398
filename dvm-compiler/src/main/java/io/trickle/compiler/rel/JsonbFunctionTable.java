package io.trickle.compiler.rel;

import java.util.List;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.util.SqlOperatorTables;

/** PostgreSQL's jsonb operators and scalar jsonb functions, typed for Calcite (PostgreSQL has checked the query). */
public final class JsonbFunctionTable {
  private JsonbFunctionTable() {}

  public static final SqlFunction JSONB_TYPEOF = new SqlFunction("jsonb_typeof",
      SqlKind.OTHER_FUNCTION, ReturnTypes.VARCHAR_NULLABLE, null, OperandTypes.ANY,
      SqlFunctionCategory.SYSTEM);

  public static final SqlFunction JSONB_ARRAY_LENGTH = new SqlFunction("jsonb_array_length",
      SqlKind.OTHER_FUNCTION, ReturnTypes.INTEGER_NULLABLE, null, OperandTypes.ANY,
      SqlFunctionCategory.SYSTEM);

  public static SqlOperatorTable instance() {
    return SqlOperatorTables.of(List.of(JSONB_TYPEOF, JSONB_ARRAY_LENGTH, JsonbOperators.GET,
        JsonbOperators.GET_TEXT, JsonbOperators.PATH, JsonbOperators.PATH_TEXT));
  }
}
