package io.trickle.cli.tpch;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/** Rows for one table streamed through {@code COPY ... FROM STDIN} in chunks of about a megabyte. */
final class CopyStream implements AutoCloseable {
  private static final int CHUNK = 1 << 20;
  private final CopyIn copy;
  private final StringBuilder buffer = new StringBuilder(CHUNK + 4096);
  private long rows;

  CopyStream(Connection c, String table) throws SQLException {
    this.copy = c.unwrap(PGConnection.class).getCopyAPI()
        .copyIn("COPY " + table + " FROM STDIN WITH (FORMAT text, DELIMITER '|')");
  }

  void row(String line) throws SQLException {
    buffer.append(line);
    rows++;
    if (buffer.length() >= CHUNK) {
      flush();
    }
  }

  private void flush() throws SQLException {
    byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
    copy.writeToCopy(bytes, 0, bytes.length);
    buffer.setLength(0);
  }

  /** Ends the COPY; returns the number of rows written. */
  long finish() throws SQLException {
    flush();
    copy.endCopy();
    return rows;
  }

  @Override
  public void close() throws SQLException {
    if (copy.isActive()) {
      copy.cancelCopy();
    }
  }
}
