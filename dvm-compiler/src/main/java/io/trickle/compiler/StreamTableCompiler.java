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
import io.trickle.compiler.translate.PinnedTimeZone;
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

  /** Definition option {@code timezone}: the TimeZone the stream table is evaluated in. */
  public static final String TIME_ZONE = "timezone";

  private final String timeZone;

  /** Pins the database session's TimeZone, unless a definition says {@code WITH (timezone)}. */
  public StreamTableCompiler() {
    this(null);
  }

  /**
   * @param timeZone the TimeZone to evaluate definitions in that do not name one (e.g. {@code
   *     trickle run --timezone}); null for the TimeZone setting of the connection's session
   */
  public StreamTableCompiler(String timeZone) {
    this.timeZone = timeZone;
  }

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
    String[] zone = pinnedTimeZone(def, pg);
    PgValidation pgResult = PgValidator.validate(pg, def,
        name -> SqlPositions.of(def, CalciteFrontEnd.parse(def)).duplicateItem(name),
        zone[1].equals(SESSION) ? null : zone[0]);
    SqlNode parsed = CalciteFrontEnd.parse(def);
    SqlPositions positions = SqlPositions.of(def, parsed);
    rejectNonImmutable(pgResult, positions);
    rejectUnsupportedOutput(pgResult, positions);
    SupportCheck.check(def, parsed);
    TextCollationCheck.check(pgResult.textCollations(), positions);
    PgCatalog catalog = PgCatalog.read(pg);
    RelRoot root = new CalciteFrontEnd(def, PgSchemaFactory.create(catalog)).toRel();
    RelNode rel = RelNormalizer.normalize(root.rel);
    String[] used = new String[1];
    Plan plan = PinnedTimeZone.with(zone[0], zone[1], () -> PlanTranslator.translate(def.name(),
        def.selectSql(), root, rel, pgResult.columns(), positions, streamTables,
        maxGroupingSets(def)), z -> used[0] = z);
    return plan.withTimeZone(used[0]);
  }

  private static final String SESSION = "the TimeZone setting of trickle's database session";

  /** The zone's name and where it came from: the definition, the compiler, or the session. */
  private String[] pinnedTimeZone(StreamTableDefinition def, Connection pg) {
    String option = def.options().get(TIME_ZONE);
    if (option != null) {
      String name = option.strip();
      if (!PinnedTimeZone.isSupported(name)) {
        throw new CompileException(def.start(), "option " + TIME_ZONE + " must name a zone of"
            + " the tz database, such as 'UTC' or 'Europe/Paris', not '" + option + "'");
      }
      return new String[] {name, "option " + TIME_ZONE};
    }
    if (timeZone != null) {
      return new String[] {timeZone, "--timezone"};
    }
    return new String[] {PgValidator.sessionTimeZone(pg), SESSION};
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
      if (f.readsOnlyTimeZone()) {
        continue; // evaluated in the pinned TimeZone (translate.PinnedTimeZone)
      }
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
