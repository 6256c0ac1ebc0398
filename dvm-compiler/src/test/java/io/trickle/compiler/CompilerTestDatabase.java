package io.trickle.compiler;

import io.trickle.compiler.parse.DefinitionParser;
import io.trickle.compiler.parse.StreamTableDefinition;
import io.trickle.compiler.plan.Plan;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** One embedded PostgreSQL with the compiler's test schema, started once per test class. */
final class CompilerTestDatabase implements AutoCloseable {
  private final EmbeddedPostgres postgres;
  private final Connection connection;

  CompilerTestDatabase() throws IOException, SQLException {
    postgres = EmbeddedPostgres.builder().start();
    connection = postgres.getPostgresDatabase().getConnection();
    try (InputStream in = CompilerTestDatabase.class.getResourceAsStream("/compiler/schema.sql");
        Statement st = connection.createStatement()) {
      st.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  Connection connection() {
    return connection;
  }

  /** A new connection to another database of the same server (the caller closes it). */
  Connection connect(String database) throws SQLException {
    return postgres.getDatabase("postgres", database).getConnection();
  }

  /** Compiles a whole definitions file. */
  Plan compileFile(String fileText) {
    return new StreamTableCompiler().compile(DefinitionParser.parse(fileText), connection);
  }

  /** Compiles {@code CREATE STREAM TABLE st AS <select>} with the SELECT on line 1, column 1. */
  Plan compile(String select) {
    return new StreamTableCompiler().compile(StreamTableDefinition.of("st", select), connection);
  }

  @Override
  public void close() throws IOException, SQLException {
    connection.close();
    postgres.close();
  }
}
