package io.trickle.cli;

import io.trickle.cli.demo.DemoSchema;
import io.trickle.compiler.CompileException;
import io.trickle.compiler.StreamTableCompiler;
import io.trickle.compiler.parse.DefinitionParser;
import io.trickle.compiler.parse.StreamTableDefinition;
import io.trickle.compiler.plan.Plan;
import io.trickle.connectors.embedded.EmbeddedPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "explain", mixinStandardHelpOptions = true, description = "Print the differential plan of a stream table definition, with row keys and SQL positions.")
final class ExplainCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "A file holding one CREATE STREAM TABLE ... AS SELECT ...;")
  Path file;

  @Option(names = "--pg", description = "JDBC URL whose catalog the query is compiled against;"
      + " default: an embedded PostgreSQL holding the demo schema.")
  String pg;

  @Option(names = "--timezone", description = "TimeZone to evaluate the definition in unless it"
      + " says WITH (timezone = ...); default: the TimeZone of the database session.")
  String timeZone;

  @Mixin
  PgPasswordOption password;

  @Override
  public Integer call() throws Exception {
    StreamTableDefinition def;
    try {
      def = DefinitionParser.parse(Files.readString(file));
    } catch (CompileException e) {
      System.err.println("error: " + file + ": " + e.getMessage());
      return 1;
    }
    if (pg != null) {
      try (Connection c = password.parse(pg).connect()) {
        return explain(def, c);
      }
    }
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Files.createTempDirectory("trickle-explain"));
        Connection c = DriverManager.getConnection(server.jdbcUrl())) {
      DemoSchema.create(c);
      return explain(def, c);
    }
  }

  private int explain(StreamTableDefinition def, Connection c) {
    try {
      Plan plan = new StreamTableCompiler(timeZone).compile(def, c);
      System.out.print(plan.explain());
      for (String warning : plan.warnings()) {
        System.out.println("warning: " + warning);
      }
      return 0;
    } catch (CompileException e) {
      System.err.println("error: " + file + ": " + e.getMessage());
      return 1;
    }
  }
}
