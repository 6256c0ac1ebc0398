package io.trickle.compiler;

import io.trickle.compiler.parse.PgCatalog;
import io.trickle.compiler.parse.PgOutputColumn;
import io.trickle.compiler.parse.PgValidation;
import io.trickle.compiler.parse.PgValidator;
import io.trickle.compiler.parse.SqlPositions;
import io.trickle.compiler.parse.StreamTableDefinition;
import io.trickle.compiler.parse.SupportCheck;
import io.trickle.compiler.parse.TextCollationCheck;
import io.trickle.compiler.plan.Plan;
import io.trickle.compiler.plan.SqlPos;
import io.trickle.compiler.rel.CalciteFrontEnd;
import io.trickle.compiler.rel.PgSchemaFactory;
import io.trickle.compiler.rel.RelNormalizer;
import io.trickle.compiler.translate.PlanTranslator;
import java.sql.Connection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.sql.SqlNode;

/**
 * Compiles a stream table definition into a {@link Plan}. The pipeline, each step its own class:
 * PostgreSQL validates the query and types its result ({@link PgValidator}); Calcite parses it
 * ({@link CalciteFrontEnd}); non-immutable functions and unsupported constructs are rejected
 * ({@link SupportCheck}), and so is text ordering under a collation the runtime cannot reproduce
 * ({@link TextCollationCheck}); the catalog is read ({@link PgCatalog}) and Calcite validates and
 * converts the query, inlining views; rules normalise it ({@link RelNormalizer}); and it is
 * translated to differential operators ({@link PlanTranslator}).
 */
public final class StreamTableCompiler {

  /**
   * @param pg a connection to the source database; it is the catalog, and PostgreSQL validates
   *     the query through it (in a transaction or savepoint that is rolled back)
   * @throws CompileException naming the problem and its position in the definitions file
   */
  public Plan compile(StreamTableDefinition def, Connection pg) {
    return compile(def, pg, Map.of());
  }

  /**
   * Compiles a definition that may read other stream tables. Their target tables are ordinary
   * tables in the catalog (they must exist), so the query is checked and typed as usual; the
   * sources reading them are marked with {@link io.trickle.compiler.plan.SourceOp#upstream()}.
   *
   * @param streamTables qualified target table ({@code schema.table}) → stream table name
   */
  public Plan compile(StreamTableDefinition def, Connection pg, Map<String, String> streamTables) {
    PgValidation pgResult = PgValidator.validate(pg, def,
        name -> SqlPositions.of(def, CalciteFrontEnd.parse(def)).duplicateItem(name));
    SqlNode parsed = CalciteFrontEnd.parse(def);
    SqlPositions positions = SqlPositions.of(def, parsed);
    rejectNonImmutable(pgResult, positions);
    rejectUnsupportedOutput(pgResult, positions);
    SupportCheck.check(def, parsed);
    TextCollationCheck.check(pgResult.textCollations(), positions);
    PgCatalog catalog = PgCatalog.read(pg);
    RelRoot root = new CalciteFrontEnd(def, PgSchemaFactory.create(catalog)).toRel();
    RelNode rel = RelNormalizer.normalize(root.rel);
    return PlanTranslator.translate(def.name(), def.selectSql(), root, rel, pgResult.columns(),
        positions, streamTables, maxGroupingSets(def));
  }

  /** Definition option {@code max_grouping_sets}: the most grouping sets one GROUP BY may have. */
  public static final String MAX_GROUPING_SETS = "max_grouping_sets";

  /** Default of {@link #MAX_GROUPING_SETS}: CUBE over six columns. */
  public static final int DEFAULT_MAX_GROUPING_SETS = 64;

  private static int maxGroupingSets(StreamTableDefinition def) {
    String v = def.options().get(MAX_GROUPING_SETS);
    if (v == null) {
      return DEFAULT_MAX_GROUPING_SETS;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new CompileException(def.start(), "option " + MAX_GROUPING_SETS + " must be a positive"
        + " integer, not '" + v + "'");
  }

  private static void rejectNonImmutable(PgValidation pg, SqlPositions positions) {
    for (PgValidation.NonImmutableFunction f : pg.functions()) {
      SqlPos pos = f.display().startsWith("operator ") ? positions.operator(f.name())
          : positions.function(f.name());
      if (f.provolatile() == 'v') {
        throw new CompileException(pos, f.display() + " is volatile (pg_proc.provolatile = 'v'):"
            + " its result can change on every evaluation, so a stream table could never equal"
            + " its query");
      }
      throw new CompileException(pos, f.display() + " is stable (pg_proc.provolatile = 's'): its"
          + " result depends on the current time or session settings, and a stream table is"
          + " maintained row by row as changes arrive, so each row would keep the value from when"
          + " it was last changed and the table could never equal its query");
    }
  }

  private static void rejectUnsupportedOutput(PgValidation pg, SqlPositions positions) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < pg.columns().size(); i++) {
      PgOutputColumn c = pg.columns().get(i);
      if (!names.add(c.name())) {
        throw new CompileException(positions.duplicateItem(c.name()), "output column " + c.name()
            + " appears twice; give each column a distinct alias");
      }
      if (c.type() == null) {
        throw new CompileException(positions.selectItem(i), "column " + c.name() + " has type "
            + c.pgType() + ", which is not supported yet");
      }
    }
  }
}
