package io.trickle.compiler.rel;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlUserDefinedTypeNameSpec;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.implicit.TypeCoercionImpl;

/**
 * PostgreSQL resolves {@code uuid_col = 'text'} and {@code jsonb_col = 'text'} by reading the
 * string as a uuid or jsonb; Calcite would cast the column to text instead, which compares
 * differently ({@code 'A0EE...'} equals the lower-case uuid in PostgreSQL).
 */
final class PgTypeCoercion extends TypeCoercionImpl {
  PgTypeCoercion(RelDataTypeFactory typeFactory, SqlValidator validator) {
    super(typeFactory, validator);
  }

  @Override
  public boolean binaryComparisonCoercion(SqlCallBinding binding) {
    if (binding.getOperandCount() == 2) {
      RelDataType a = binding.getOperandType(0);
      RelDataType b = binding.getOperandType(1);
      if (readsText(a) && SqlTypeUtil.isCharacter(b)) {
        return castOperand(binding.getCall(), 1, a);
      }
      if (readsText(b) && SqlTypeUtil.isCharacter(a)) {
        return castOperand(binding.getCall(), 0, b);
      }
    }
    return super.binaryComparisonCoercion(binding);
  }

  @Override
  public boolean inOperationCoercion(SqlCallBinding binding) {
    RelDataType a = binding.getOperandType(0);
    if (readsText(a) && binding.operand(1) instanceof SqlNodeList list) {
      boolean changed = false;
      for (int i = 0; i < list.size(); i++) {
        RelDataType t = binding.getValidator().deriveType(binding.getScope(), list.get(i));
        if (SqlTypeUtil.isCharacter(t)) {
          SqlNode cast = cast(list.get(i), a);
          list.set(i, cast);
          updateInferredType(cast, a);
          changed = true;
        }
      }
      if (changed) {
        binding.getValidator().setValidatedNodeType(list, a);
        return true;
      }
    }
    return super.inOperationCoercion(binding);
  }

  private boolean castOperand(SqlCall call, int index, RelDataType target) {
    SqlNode cast = cast(call.operand(index), target);
    call.setOperand(index, cast);
    updateInferredType(cast, target);
    return true;
  }

  /** CAST(node AS uuid|jsonb); jsonb is named through the schema's type alias. */
  private static SqlNode cast(SqlNode node, RelDataType target) {
    SqlParserPos pos = node.getParserPosition();
    SqlDataTypeSpec spec = CalciteTypes.isJsonb(target)
        ? new SqlDataTypeSpec(new SqlUserDefinedTypeNameSpec("jsonb", pos), pos)
        : new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.UUID, pos), pos);
    return SqlStdOperatorTable.CAST.createCall(pos, node, spec);
  }

  private static boolean readsText(RelDataType t) {
    return t.getSqlTypeName() == SqlTypeName.UUID || CalciteTypes.isJsonb(t);
  }
}
