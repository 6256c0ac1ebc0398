package io.trickle.cli;

import io.trickle.cli.runtime.PgUrl;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --pg-password-file}, shared by every command that takes {@code --pg}. */
final class PgPasswordOption {
  @Option(names = "--pg-password-file", paramLabel = "FILE",
      description = "File whose first line is the PostgreSQL password. Without it: PGPASSWORD, then"
          + " the pgpass file (PGPASSFILE, default ~/.pgpass). Never put the password on the command line.")
  Path passwordFile;

  /** Parses {@code --pg}; warns when the URL itself carries the password. */
  PgUrl parse(String jdbcUrl) {
    PgUrl url = PgUrl.parse(jdbcUrl, passwordFile);
    if (url.passwordSource() == PgUrl.PasswordSource.URL) {
      System.err.println("warning: the password in --pg is visible to other users of this machine (ps);"
          + " use PGPASSWORD, ~/.pgpass or --pg-password-file instead");
    }
    return url;
  }
}
