package io.trickle.compiler;

import io.trickle.compiler.parse.DefinitionParser;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class ScratchTpchTest {
  @Test
  void run() throws Exception {
    StringBuilder sb = new StringBuilder();
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        Connection c = pg.getPostgresDatabase().getConnection()) {
      try (Statement st = c.createStatement()) {
        st.execute(Files.readString(Path.of("/tmp/x/tpch.sql")));
      }
      for (int i = 1; i <= 22; i++) {
        String f = String.format("../tpch/queries/q%02d.sql", i);
        try {
          var plan = new StreamTableCompiler().compile(DefinitionParser.parse(Files.readString(Path.of(f))), c);
          sb.append(f).append(": OK\n").append(plan.explain().lines().filter(l -> l.contains("topk") || l.contains("setop") || l.contains("union")).map(l -> "   " + l.strip()).reduce("", (a, b) -> a + b + "\n"));
        } catch (CompileException e) {
          sb.append(f).append(": ").append(e.getMessage()).append('\n');
        }
      }
    }
    Files.writeString(Path.of("/tmp/x/tpch.out"), sb.toString());
  }
}
