package io.trickle.compiler.rel;

import io.trickle.compiler.CompileException;
import io.trickle.compiler.parse.StreamTableDefinition;
import io.trickle.compiler.plan.SqlPos;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlLibrary;
import org.apache.calcite.sql.fun.SqlLibraryOperatorTableFactory;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.tools.FrameworkConfig;
import org.apache.calcite.tools.Frameworks;
import org.apache.calcite.tools.Planner;
import org.apache.calcite.tools.ValidationException;

/**
 * Calcite configured like PostgreSQL: the Babel parser, unquoted identifiers folded to lower
 * case, quoted ones kept, case-sensitive lookup, and {@link PgTypeSystem}. Positions in errors
 * are mapped into the definitions file. DISTINCT ON, which Calcite cannot parse, is blanked out
 * before parsing ({@link DistinctOnScanner}) and put back as a QUALIFY ({@link
 * DistinctOnRewriter}).
 */
public final class CalciteFrontEnd {
  /**
   * LENIENT, not BABEL: the same GROUP BY ordinals and aliases, HAVING aliases, % and !=, but
   * strict GROUP BY. Babel's non-strict mode wraps columns it believes ungrouped in ANY_VALUE (and
   * trips over CASE); PostgreSQL has already accepted the query, so strictness loses nothing.
   */
  private static final SqlConformanceEnum PG_CONFORMANCE = SqlConformanceEnum.LENIENT;

  public static final SqlParser.Config PARSER = SqlParser.config()
      .withParserFactory(SqlBabelParserImpl.FACTORY)
      .withConformance(PG_CONFORMANCE)
      .withQuoting(Quoting.DOUBLE_QUOTE)
      .withUnquotedCasing(Casing.TO_LOWER)
      .withQuotedCasing(Casing.UNCHANGED)
      .withCaseSensitive(true);


  /**
   * AVG(x) OVER (...) stays one call instead of Calcite's SUM/COUNT expansion, whose fixed-scale
   * division differs from PostgreSQL's numeric AVG; the window operator computes it natively.
   */
  private static final org.apache.calcite.sql2rel.SqlRexConvertletTable WINDOW_AVG_KEPT =
      call -> call.getKind() == org.apache.calcite.sql.SqlKind.AVG
          ? org.apache.calcite.sql2rel.StandardConvertletTable.INSTANCE::convertCall
          : org.apache.calcite.sql2rel.StandardConvertletTable.INSTANCE.get(call);

  /** {@code [CROSS|LEFT] JOIN [LATERAL] f(} or {@code LATERAL f(}: PostgreSQL's FROM f(...). */
  private static final java.util.regex.Pattern SET_RETURNING_IN_FROM = java.util.regex.Pattern.compile(
      "((?:(?:cross|left|inner)\\s+)?join\\s+)?(lateral\\s+)?(?!select\\b)([a-z_][a-z0-9_]*)\\s*\\(");

  private final StreamTableDefinition def;
  private final Planner planner;

  public CalciteFrontEnd(StreamTableDefinition def, SchemaPlus root) {
    this.def = def;
    FrameworkConfig config = Frameworks.newConfigBuilder()
        .parserConfig(PARSER)
        .defaultSchema(root)
        .typeSystem(PgTypeSystem.INSTANCE)
        // The PostgreSQL library adds the :: cast that pg_get_viewdef uses everywhere.
        .operatorTable(SqlOperatorTables.chain(SqlStdOperatorTable.instance(),
            SqlLibraryOperatorTableFactory.INSTANCE.getOperatorTable(SqlLibrary.POSTGRESQL),
            PgFunctionTable.instance(), PgExtraOperators.INSTANCE,
            SqlOperatorTables.of(PgDateTimeOperators.PLUS, PgDateTimeOperators.MINUS),
            PgSetReturningFunctions.instance(), JsonbFunctionTable.instance()))
        .sqlValidatorConfig(SqlValidator.Config.DEFAULT
            .withConformance(PG_CONFORMANCE)
            .withIdentifierExpansion(true)
            .withTypeCoercionFactory(PgTypeCoercion::new))
        .convertletTable(WINDOW_AVG_KEPT)
        .sqlToRelConverterConfig(SqlToRelConverter.config()
            .withExpand(false)
            // IN lists always become OR-ed equalities, never a join with VALUES.
            .withInSubQueryThreshold(Integer.MAX_VALUE))
        .build();
    this.planner = Frameworks.getPlanner(config);
  }

  /**
   * PostgreSQL syntax Calcite's parser lacks, rewritten into calls it parses. Every rewrite keeps
   * the text's length and line breaks, so parser and validator positions still point into the
   * definitions file.
   */
  static String calciteSyntax(String sql) {
    return PgIntervalLiterals.rewrite(sql);
  }

  /** Parses the query without a catalog. */
  public static SqlNode parse(StreamTableDefinition def) {
    try {
      JsonbOperators jsonb = JsonbOperators.rewrite(
          DistinctOnScanner.scan(calciteSyntax(def.selectSql())).blanked(), def);
      return jsonb.restore(SetReturningSyntax.parse(jsonb.sql(),
          sql -> SqlParser.create(sql, PARSER).parseQuery()), def);
    } catch (SqlParseException e) {
      throw parseError(def, e);
    }
  }

  /** Validates against the catalog and converts to relational algebra. */
  public RelRoot toRel() {
    PgDateTimeOperators.Rewrites rewrites = new PgDateTimeOperators.Rewrites();
    DistinctOnScanner distinctOn = DistinctOnScanner.scan(calciteSyntax(def.selectSql()));
    JsonbOperators jsonb = JsonbOperators.rewrite(distinctOn.blanked(), def);
    SqlNode validated;
    while (true) {
      SqlNode parsed;
      try {
        parsed = rewrites.apply(DistinctOnRewriter.rewrite(def, distinctOn, jsonb.restore(
            SetReturningSyntax.parse(jsonb.sql(), planner::parse), def)));
      } catch (SqlParseException e) {
        throw parseError(def, e);
      }
      try {
        validated = planner.validate(parsed);
        break;
      } catch (ValidationException e) {
        CalciteContextException ctx = find(e);
        // date ± integer and the like: retried with PostgreSQL's operator at that position.
        if (ctx == null || !rewrites.add(parsed, ctx)) {
          throw validationError(e);
        }
        planner.close();
        planner.reset();
      }
    }
    try {
      return planner.rel(validated);
    } catch (CompileException e) {
      throw e;
    } catch (Exception e) {
      CalciteContextException ctx = find(e);
      if (ctx != null) {
        throw new CompileException(def.start(),
            "cannot inline a view used by the query: " + reasonOf(ctx), e);
      }
      String viewSql = viewDefinition(e);
      if (viewSql != null && DistinctOnScanner.scan(viewSql).any()) {
        throw new CompileException(def.start(), "a view whose definition uses DISTINCT ON is not"
            + " supported yet; write the DISTINCT ON in the stream table's own query", e);
      }
      throw new CompileException(def.start(), "cannot translate the query: " + e.getMessage(), e);
    }
  }

  /** The SQL of a view Calcite failed to parse while inlining it, or null. */
  private static String viewDefinition(Throwable e) {
    String prefix = "Error while parsing view definition: ";
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().startsWith(prefix)) {
        return t.getMessage().substring(prefix.length());
      }
    }
    return null;
  }

  private CompileException validationError(ValidationException e) {
    CalciteContextException ctx = find(e);
    if (ctx == null) {
      return new CompileException(def.start(), "invalid query: " + e.getMessage(), e);
    }
    return new CompileException(def.filePos(ctx.getPosLine(), ctx.getPosColumn()),
        reasonOf(ctx), e);
  }

  private static String reasonOf(CalciteContextException ctx) {
    Throwable cause = ctx.getCause();
    String reason = cause != null && cause.getMessage() != null ? cause.getMessage()
        : ctx.getMessage();
    // "Cannot apply '+' to ..." goes on to list every supported form, one per line.
    int nl = reason.indexOf('\n');
    reason = nl < 0 ? reason : reason.substring(0, nl);
    return reason;
  }

  private static CalciteContextException find(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CalciteContextException c) {
        return c;
      }
    }
    return null;
  }

  static CompileException parseError(StreamTableDefinition def, SqlParseException e) {
    SqlPos pos = e.getPos() == null ? def.start()
        : def.filePos(e.getPos().getLineNum(), e.getPos().getColumnNum());
    String message = e.getMessage() == null ? "syntax error" : e.getMessage();
    // Calcite lists every token it could have accepted; the first line says what it found.
    int nl = message.indexOf('\n');
    String first = nl < 0 ? message : message.substring(0, nl);
    first = first.replaceFirst("^Encountered (.*) at line \\d+, column \\d+\\.$",
        "unexpected $1");
    String construct = postgresOnly(def, e);
    return new CompileException(pos, construct != null ? construct + " is not supported yet"
        : "syntax error: " + first, e);
  }

  /**
   * PostgreSQL has already accepted the query, so a Calcite syntax error is PostgreSQL syntax
   * Calcite lacks; name the usual ones instead of reporting a syntax error.
   */
  private static String postgresOnly(StreamTableDefinition def, SqlParseException e) {
    if (e.getPos() == null) {
      return null;
    }
    String sql = def.selectSql().toLowerCase(java.util.Locale.ROOT);
    int at = def.offsetOf(e.getPos().getLineNum(), e.getPos().getColumnNum());
    String before = sql.substring(0, at).stripTrailing();
    String after = sql.substring(at);
    if (after.startsWith("collate")) {
      return "COLLATE in a query";
    }
    if (before.endsWith("interval")) {
      return "an INTERVAL literal without a unit (write interval '1' day or interval '3' month)";
    }
    if (after.matches("(?s)with\\s+ordinality\\b.*")) {
      return "WITH ORDINALITY on a set-returning function (other than UNNEST)";
    }
    java.util.regex.Matcher srf = SET_RETURNING_IN_FROM.matcher(after);
    if (srf.lookingAt() && (srf.group(1) != null || srf.group(2) != null
        || before.endsWith("from") || before.endsWith(","))) {
      return (srf.group(2) != null ? "LATERAL " : "") + srf.group(3)
          + "() in FROM (a set-returning function)";
    }
    return null;
  }
}
