package io.trickle.compiler.rel;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlBinaryOperator;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.SqlOperandTypeChecker;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * PostgreSQL's date and timestamp operators that Calcite's {@code +} and {@code -} do not type:
 * {@code date ± integer} (a date), {@code integer + date}, {@code date - date} (an integer
 * number of days) and {@code timestamp - timestamp} (an interval). They replace the standard
 * operator only on the calls Calcite's validator rejected, so every other {@code +} and
 * {@code -} keeps Calcite's own typing and conversion. Their kind is {@link SqlKind#OTHER}: the
 * translator recognises them by name (ScalarCalls) and no Calcite rule rewrites them.
 */
public final class PgDateTimeOperators {
  private PgDateTimeOperators() {}

  public static final SqlBinaryOperator PLUS = new SqlBinaryOperator("+", SqlKind.OTHER, 40, true,
      PgDateTimeOperators::returnType, InferTypes.FIRST_KNOWN,
      OperandTypes.or(OperandTypes.family(SqlTypeFamily.DATE, SqlTypeFamily.INTEGER),
          OperandTypes.family(SqlTypeFamily.INTEGER, SqlTypeFamily.DATE)));

  public static final SqlBinaryOperator MINUS = new SqlBinaryOperator("-", SqlKind.OTHER, 40,
      true, PgDateTimeOperators::returnType, InferTypes.FIRST_KNOWN, minusOperands());

  private static SqlOperandTypeChecker minusOperands() {
    return OperandTypes.or(OperandTypes.family(SqlTypeFamily.DATE, SqlTypeFamily.INTEGER),
        OperandTypes.family(SqlTypeFamily.DATE, SqlTypeFamily.DATE),
        OperandTypes.family(SqlTypeFamily.DATE, SqlTypeFamily.TIMESTAMP),
        OperandTypes.family(SqlTypeFamily.TIMESTAMP, SqlTypeFamily.DATE),
        OperandTypes.family(SqlTypeFamily.TIMESTAMP, SqlTypeFamily.TIMESTAMP));
  }

  private static RelDataType returnType(SqlOperatorBinding binding) {
    RelDataTypeFactory f = binding.getTypeFactory();
    RelDataType left = binding.getOperandType(0);
    RelDataType right = binding.getOperandType(1);
    boolean nullable = left.isNullable() || right.isNullable();
    SqlTypeName l = pgType(binding, 0, left);
    SqlTypeName r = pgType(binding, 1, right);
    RelDataType type;
    if (l == SqlTypeName.DATE && r == SqlTypeName.DATE) {
      type = f.createSqlType(SqlTypeName.INTEGER);
    } else if (l == SqlTypeName.DATE || r == SqlTypeName.DATE && !isTimestamp(l)) {
      type = isTimestamp(r) ? interval(f) : f.createSqlType(SqlTypeName.DATE);
    } else {
      type = interval(f);
    }
    return f.createTypeWithNullability(type, nullable);
  }

  /**
   * Calcite types date ± interval as a date; PostgreSQL, and the translator, as a timestamp, so
   * {@code (d + interval '1' month) - d} is an interval, not a number of days.
   */
  private static SqlTypeName pgType(SqlOperatorBinding binding, int i, RelDataType type) {
    if (type.getSqlTypeName() != SqlTypeName.DATE) {
      return type.getSqlTypeName();
    }
    // Validation binds SQL nodes, conversion to relational algebra binds row expressions.
    SqlKind kind = binding instanceof org.apache.calcite.sql.SqlCallBinding call
        ? call.operand(i).getKind()
        : binding instanceof org.apache.calcite.rex.RexCallBinding rex
            ? rex.operands().get(i).getKind() : SqlKind.OTHER;
    return kind == SqlKind.PLUS || kind == SqlKind.MINUS ? SqlTypeName.TIMESTAMP
        : SqlTypeName.DATE;
  }

  private static boolean isTimestamp(SqlTypeName t) {
    return t.getFamily() == SqlTypeFamily.TIMESTAMP;
  }

  /** Calcite's stand-in for PostgreSQL's interval; the translator keeps the real value. */
  static RelDataType interval(RelDataTypeFactory f) {
    return f.createSqlIntervalType(
        new SqlIntervalQualifier(TimeUnit.DAY, TimeUnit.SECOND, SqlParserPos.ZERO));
  }

  /**
   * Remembers the positions of {@code +}/{@code -} calls Calcite rejected and swaps in the
   * PostgreSQL operator there on a freshly parsed query.
   */
  static final class Rewrites {
    private final List<SqlParserPos> positions = new ArrayList<>();

    /**
     * @return whether the error is a {@code +}/{@code -} on dates or timestamps not rewritten
     *     yet (the caller parses again and retries)
     */
    boolean add(SqlNode query, CalciteContextException error) {
      String message = error.getCause() == null ? "" : String.valueOf(error.getCause()
          .getMessage());
      if (!message.matches("(?s)Cannot apply '[-+]' to arguments of type '<(DATE|TIMESTAMP).*"
          + "|(?s)Cannot apply '[-+]' to arguments of type '<[A-Z]*INT[A-Z]*> \\+ <DATE>'.*")) {
        return false;
      }
      SqlParserPos pos = new SqlParserPos(error.getPosLine(), error.getPosColumn(),
          error.getEndPosLine(), error.getEndPosColumn());
      if (positions.contains(pos) || find(query, pos) == null) {
        return false;
      }
      positions.add(pos);
      return true;
    }

    SqlNode apply(SqlNode query) {
      pgFunctions(query);
      for (SqlParserPos pos : positions) {
        SqlBasicCall call = find(query, pos);
        if (call != null) {
          call.setOperator(call.getOperator() == SqlStdOperatorTable.PLUS ? PLUS : MINUS);
        }
      }
      return query;
    }

    /**
     * Calcite's parser binds sqrt (which it converts to power(x, 0.5)) and date_part (which it
     * validates as EXTRACT, numeric) itself; PostgreSQL's sqrt keeps numeric exact and its
     * date_part is double precision, so those calls get PostgreSQL's functions instead.
     */
    private static void pgFunctions(SqlNode query) {
      query.accept(new SqlShuttle() {
        @Override
        public SqlNode visit(SqlCall call) {
          if (call instanceof SqlBasicCall basic) {
            if (call.getOperator().getName().equalsIgnoreCase("sqrt")
                && call.getOperator() != PgFunctionTable.SQRT) {
              basic.setOperator(PgFunctionTable.SQRT);
            } else if (call.getOperator() == org.apache.calcite.sql.fun.SqlLibraryOperators
                .DATE_PART && call.operandCount() == 2) {
              basic.setOperator(PgFunctionTable.DATE_PART);
              if (call.operand(0) instanceof org.apache.calcite.sql.SqlIntervalQualifier q) {
                String unit = q.timeFrameName != null ? q.timeFrameName
                    : q.timeUnitRange.name().toLowerCase(java.util.Locale.ROOT);
                basic.setOperand(0, org.apache.calcite.sql.SqlLiteral.createCharString(unit,
                    q.getParserPosition()));
              }
            }
          }
          return super.visit(call);
        }
      });
    }

    private static SqlBasicCall find(SqlNode query, SqlParserPos pos) {
      SqlBasicCall[] found = new SqlBasicCall[1];
      query.accept(new SqlShuttle() {
        @Override
        public SqlNode visit(SqlCall call) {
          if (found[0] == null && call instanceof SqlBasicCall basic
              && (call.getOperator() == SqlStdOperatorTable.PLUS
                  || call.getOperator() == SqlStdOperatorTable.MINUS)
              && call.getParserPosition().equals(pos)) {
            found[0] = basic;
          }
          return super.visit(call);
        }
      });
      return found[0];
    }
  }
}
