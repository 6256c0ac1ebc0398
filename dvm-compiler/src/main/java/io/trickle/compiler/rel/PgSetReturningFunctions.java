package io.trickle.compiler.rel;

import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlTableFunction;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.util.SqlOperatorTables;

/**
 * PostgreSQL set-returning functions usable in FROM ({@code FROM t, generate_series(1, t.n) g}).
 * Babel parses {@code f(...)} in FROM as {@code TABLE(f(...))}; these declarations let Calcite
 * validate the call and type its one output column (named after the function, as PostgreSQL
 * does). PostgreSQL has already resolved the query, so operand checking is loose and the
 * translator types each call the way PostgreSQL does.
 */
public final class PgSetReturningFunctions {
  private PgSetReturningFunctions() {}

  /** {@code generate_series(start, stop [, step])}: one column of the arguments' common type. */
  public static final SqlFunction GENERATE_SERIES = new SetReturning("generate_series",
      opBinding -> oneColumn(opBinding, "generate_series",
          opBinding.getTypeFactory().leastRestrictive(
              List.of(opBinding.getOperandType(0), opBinding.getOperandType(1)))));

  /** jsonb_array_elements[_text](j): one column "value", jsonb or text. */
  public static final SqlFunction JSONB_ARRAY_ELEMENTS = new SetReturning("jsonb_array_elements",
      opBinding -> oneColumn(opBinding, "value", CalciteTypes.jsonb(opBinding.getTypeFactory())));
  public static final SqlFunction JSONB_ARRAY_ELEMENTS_TEXT = new SetReturning(
      "jsonb_array_elements_text", opBinding -> oneColumn(opBinding, "value",
          opBinding.getTypeFactory().createSqlType(org.apache.calcite.sql.type.SqlTypeName.VARCHAR)));
  /** jsonb_each[_text](j): columns "key" text and "value" jsonb or text. */
  public static final SqlFunction JSONB_EACH = new SetReturning("jsonb_each",
      opBinding -> keyValue(opBinding, CalciteTypes.jsonb(opBinding.getTypeFactory())));
  public static final SqlFunction JSONB_EACH_TEXT = new SetReturning("jsonb_each_text",
      opBinding -> keyValue(opBinding,
          opBinding.getTypeFactory().createSqlType(org.apache.calcite.sql.type.SqlTypeName.VARCHAR)));

  /** Every set-returning function usable in FROM; add new ones here. */
  private static final List<SqlFunction> FUNCTIONS = List.of(GENERATE_SERIES, JSONB_ARRAY_ELEMENTS,
      JSONB_ARRAY_ELEMENTS_TEXT, JSONB_EACH, JSONB_EACH_TEXT);

  /**
   * Suffix of the WITH ORDINALITY variant of a function: {@link SetReturningSyntax} renames the
   * call, and the variant's row type has a trailing bigint ordinal column.
   */
  public static final String ORDINALITY_SUFFIX = "$ordinality";

  public static SqlOperatorTable instance() {
    List<SqlFunction> all = new java.util.ArrayList<>(FUNCTIONS);
    for (SqlFunction f : FUNCTIONS) {
      all.add(withOrdinality((SetReturning) f));
    }
    return SqlOperatorTables.of(all);
  }

  /** Whether {@code name} is a set-returning function declared here. */
  public static boolean isSetReturning(String name) {
    return FUNCTIONS.stream().anyMatch(f -> f.getName().equals(name));
  }

  private static SqlFunction withOrdinality(SetReturning f) {
    return new SetReturning(f.getName() + ORDINALITY_SUFFIX, opBinding -> {
      RelDataType row = f.getRowTypeInference().inferReturnType(opBinding);
      RelDataTypeFactory types = opBinding.getTypeFactory();
      return types.builder().addAll(row.getFieldList())
          .add("ordinality", types.createSqlType(org.apache.calcite.sql.type.SqlTypeName.BIGINT))
          .build();
    });
  }

  private static RelDataType keyValue(SqlOperatorBinding opBinding, RelDataType value) {
    RelDataTypeFactory f = opBinding.getTypeFactory();
    return f.builder()
        .add("key", f.createTypeWithNullability(
            f.createSqlType(org.apache.calcite.sql.type.SqlTypeName.VARCHAR), true))
        .add("value", f.createTypeWithNullability(value, true)).build();
  }

  static RelDataType oneColumn(SqlOperatorBinding opBinding, String name, RelDataType type) {
    RelDataTypeFactory f = opBinding.getTypeFactory();
    RelDataType column = type == null ? f.createUnknownType() : f.createTypeWithNullability(type, true);
    return f.builder().add(name, column).build();
  }

  /** A table function whose row type is inferred from its operands. */
  private static final class SetReturning extends SqlFunction implements SqlTableFunction {
    private final SqlReturnTypeInference rowType;

    SetReturning(String name, SqlReturnTypeInference rowType) {
      super(name, SqlKind.OTHER_FUNCTION, ReturnTypes.CURSOR, null, OperandTypes.VARIADIC,
          SqlFunctionCategory.USER_DEFINED_TABLE_FUNCTION);
      this.rowType = rowType;
    }

    @Override
    public SqlReturnTypeInference getRowTypeInference() {
      return rowType;
    }
  }
}
