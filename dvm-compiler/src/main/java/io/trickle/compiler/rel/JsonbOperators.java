package io.trickle.compiler.rel;

import io.trickle.compiler.CompileException;
import io.trickle.compiler.parse.StreamTableDefinition;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlBinaryOperator;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * PostgreSQL's jsonb operators {@code -> ->> #> #>>}, which Calcite's parser lacks. Before
 * parsing each is replaced by {@code ||} padded to the same length, so every position in the
 * text is unchanged; after parsing the {@code ||} calls with a replaced operator between their
 * operands become these operators. {@code ||} binds like PostgreSQL's {@code ->}: tighter than
 * comparisons, looser than {@code ::}, left-associative among themselves. Only arithmetic binds
 * differently ({@code j -> n + 1} is {@code j -> (n + 1)} in PostgreSQL), so a jsonb operator
 * directly under arithmetic is rejected with a request for parentheses.
 */
public final class JsonbOperators {
  public static final SqlBinaryOperator GET = op("->", jsonb());
  public static final SqlBinaryOperator GET_TEXT = op("->>", text());
  public static final SqlBinaryOperator PATH = op("#>", jsonb());
  public static final SqlBinaryOperator PATH_TEXT = op("#>>", text());

  private static final Map<String, SqlBinaryOperator> BY_TOKEN =
      Map.of("->", GET, "->>", GET_TEXT, "#>", PATH, "#>>", PATH_TEXT);

  private final String sql;
  /** Offset of each replaced operator in the text. */
  private final Map<Integer, SqlBinaryOperator> replaced;

  private JsonbOperators(String sql, Map<Integer, SqlBinaryOperator> replaced) {
    this.sql = sql;
    this.replaced = replaced;
  }

  /** jsonb operators with no translation yet; PostgreSQL's own syntax, so Calcite cannot parse them. */
  private static final java.util.List<String> UNSUPPORTED =
      java.util.List.of("@>", "<@", "?|", "?&", "?", "#-", "@?", "@@");

  /**
   * The query text with the jsonb operators replaced (same length, same line breaks).
   *
   * @throws CompileException naming a jsonb operator that is not supported
   */
  public static JsonbOperators rewrite(String sql, StreamTableDefinition def) {
    StringBuilder out = new StringBuilder(sql);
    Map<Integer, SqlBinaryOperator> replaced = new HashMap<>();
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      SqlLexemes.Span span = SqlLexemes.at(sql, i);
      if (span != null) {
        i = span.end();
      } else if ((c == '-' || c == '#') && i + 1 < n && sql.charAt(i + 1) == '>') {
        int len = i + 2 < n && sql.charAt(i + 2) == '>' ? 3 : 2;
        String token = sql.substring(i, i + len);
        replaced.put(i, BY_TOKEN.get(token));
        out.replace(i, i + len, len == 3 ? "|| " : "||");
        i += len;
      } else if (c == '?' || c == '@' || c == '<' || c == '#') {
        for (String op : UNSUPPORTED) {
          if (sql.startsWith(op, i)) {
            throw new CompileException(def.filePosOfOffset(i), "the jsonb operator " + op
                + " is not supported yet");
          }
        }
        i++;
      } else {
        i++;
      }
    }
    return new JsonbOperators(out.toString(), Map.copyOf(replaced));
  }

  public String sql() {
    return sql;
  }

  /** Turns the {@code ||} calls that stand for a jsonb operator back into it. */
  public SqlNode restore(SqlNode parsed, StreamTableDefinition def) {
    if (replaced.isEmpty()) {
      return parsed;
    }
    return parsed.accept(new Restorer(def));
  }

  private final class Restorer extends SqlShuttle {
    private final StreamTableDefinition def;

    Restorer(StreamTableDefinition def) {
      this.def = def;
    }

    @Override
    public SqlNode visit(SqlCall call) {
      SqlNode visited = super.visit(call);
      if (!(visited instanceof SqlCall c)) {
        return visited;
      }
      if (isArithmetic(c.getKind())) {
        for (SqlNode operand : c.getOperandList()) {
          if (operand instanceof SqlCall o && o.getOperator() instanceof SqlBinaryOperator b
              && BY_TOKEN.containsValue(b)) {
            SqlParserPos p = o.getParserPosition();
            throw new CompileException(def.filePos(p.getLineNum(), p.getColumnNum()),
                "the jsonb operator " + b.getName() + " next to arithmetic: PostgreSQL binds "
                    + b.getName() + " looser than arithmetic and trickle cannot tell the two"
                    + " apart here; put parentheses around the operands");
          }
        }
      }
      if (c.getOperator() != SqlStdOperatorTable.CONCAT || c.operandCount() != 2) {
        return c;
      }
      SqlParserPos left = c.operand(0).getParserPosition();
      SqlParserPos right = c.operand(1).getParserPosition();
      int from = def.offsetOf(left.getEndLineNum(), left.getEndColumnNum());
      int to = def.offsetOf(right.getLineNum(), right.getColumnNum());
      for (Map.Entry<Integer, SqlBinaryOperator> e : replaced.entrySet()) {
        if (e.getKey() >= from && e.getKey() < to) {
          return new SqlBasicCall(e.getValue(), List.of(c.operand(0), c.operand(1)),
              c.getParserPosition());
        }
      }
      return c;
    }
  }

  private static boolean isArithmetic(SqlKind kind) {
    return kind == SqlKind.PLUS || kind == SqlKind.MINUS || kind == SqlKind.TIMES
        || kind == SqlKind.DIVIDE || kind == SqlKind.MOD || kind == SqlKind.MINUS_PREFIX
        || kind == SqlKind.PLUS_PREFIX;
  }

  private static SqlBinaryOperator op(String name, SqlReturnTypeInference type) {
    return new SqlBinaryOperator(name, SqlKind.OTHER, 60, true, type, null,
        OperandTypes.ANY_ANY);
  }

  private static SqlReturnTypeInference jsonb() {
    return b -> b.getTypeFactory().createTypeWithNullability(
        CalciteTypes.jsonb(b.getTypeFactory()), true);
  }

  private static SqlReturnTypeInference text() {
    return b -> b.getTypeFactory().createTypeWithNullability(
        b.getTypeFactory().createSqlType(SqlTypeName.VARCHAR), true);
  }

  /** Whether {@code op} is one of the jsonb operators, by its name (as in a RexCall). */
  public static boolean isJsonbOperator(SqlOperator op) {
    return BY_TOKEN.containsKey(op.getName().toLowerCase(Locale.ROOT))
        && op instanceof SqlBinaryOperator;
  }
}
