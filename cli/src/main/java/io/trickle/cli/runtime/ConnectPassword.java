package io.trickle.cli.runtime;

import io.trickle.connectors.secrets.SecretReferences;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Decides how connector configs refer to the PostgreSQL password, so that Kafka Connect stores
 * and serves a reference ({@code ${env:...}} / {@code ${file:...}}) and resolves it only when it
 * starts a task:
 * <ul>
 *   <li>a reference given with {@code --connect-password-ref} is used as is (an external worker
 *       whose operator provisions the secret);</li>
 *   <li>a password from {@code PGPASSWORD} is {@code ${env:PGPASSWORD}}: the embedded worker
 *       shares this process's environment, an external one needs the variable set too;</li>
 *   <li>any other password (password file, pgpass, URL) is written to
 *       {@code <secretsDir>/postgres-<database>.properties}, readable by its owner only, and
 *       referenced with {@code ${file:...:password}}.</li>
 * </ul>
 */
public final class ConnectPassword {
  public static final String KEY = "password";

  private ConnectPassword() {}

  /**
   * @param explicitReference the {@code --connect-password-ref} value, or null
   * @param secretsDir where the file provider may read (the embedded worker's allowed path)
   * @param external the Connect worker is not this process's: say what it needs
   */
  public static PgUrl resolve(PgUrl pg, String explicitReference, Path secretsDir, boolean external,
      PrintStream out) {
    PgUrl resolved;
    if (explicitReference != null) {
      resolved = pg.withConnectPassword(explicitReference);
    } else if (!pg.hasPassword()) {
      return pg.withConnectPassword("");
    } else if (pg.passwordSource() == PgUrl.PasswordSource.PGPASSWORD) {
      resolved = pg.withConnectPassword(SecretReferences.envReference("PGPASSWORD"));
    } else {
      Path file = secretsDir.toAbsolutePath().resolve("postgres-" + pg.safeDatabaseName() + ".properties");
      SecretReferences.writePropertiesFile(file, KEY, pg.password());
      resolved = pg.withConnectPassword(SecretReferences.fileReference(file, KEY));
    }
    if (external) {
      out.printf("connector configs refer to the password as %s: the Connect worker must declare that"
          + " config provider and be able to resolve it (docs/configuration.md, \"Passwords\")%n",
          resolved.connectPassword());
    }
    return resolved;
  }
}
