package io.trickle.cli.runtime;

import io.trickle.connectors.secrets.InProcessSecrets;
import io.trickle.connectors.secrets.SecretReferences;
import java.io.PrintStream;

/**
 * Decides how connector configs refer to the PostgreSQL password, so that Kafka Connect stores
 * and serves a reference and resolves it only when it starts a task. The password itself is
 * never written anywhere by trickle:
 * <ul>
 *   <li>a reference given with {@code --connect-password-ref} is used as is (an external worker
 *       whose operator provisions the secret);</li>
 *   <li>with the embedded worker, the password stays in this process's memory and connectors
 *       get {@code ${trickle:postgres-<database>}} ({@link InProcessSecrets});</li>
 *   <li>with an external worker, a password from {@code PGPASSWORD} is {@code ${env:PGPASSWORD}}
 *       (the worker needs the variable set and the {@code env} provider declared); any other
 *       source is refused with a message, because the only way to hand it to another process
 *       would be to store it.</li>
 * </ul>
 */
public final class ConnectPassword {
  private ConnectPassword() {}

  /**
   * @param explicitReference the {@code --connect-password-ref} value, or null
   * @param external the Connect worker is not this process's: say what it needs
   * @throws IllegalArgumentException when an external worker has no way to get the password
   */
  public static PgUrl resolve(PgUrl pg, String explicitReference, boolean external, PrintStream out) {
    PgUrl resolved;
    if (explicitReference != null) {
      resolved = pg.withConnectPassword(SecretReferences.requireReferenceOrEmpty("--connect-password-ref",
          explicitReference));
    } else if (!pg.hasPassword()) {
      return pg.withConnectPassword("");
    } else if (!external) {
      return pg.withConnectPassword(InProcessSecrets.put("postgres-" + pg.safeDatabaseName(), pg.password()));
    } else if (pg.passwordSource() == PgUrl.PasswordSource.PGPASSWORD) {
      resolved = pg.withConnectPassword(SecretReferences.envReference("PGPASSWORD"));
    } else {
      throw new IllegalArgumentException("the password (from " + pg.passwordSource()
          + ") cannot reach the Connect worker at --connect without being stored: give the worker a"
          + " config provider reference with --connect-password-ref (for example"
          + " ${file:/etc/trickle/pg.properties:password}), or set PGPASSWORD for both trickle and"
          + " the worker (docs/configuration.md, \"Passwords\")");
    }
    if (external) {
      out.printf("connector configs refer to the password as %s: the Connect worker must declare that"
          + " config provider and be able to resolve it (docs/configuration.md, \"Passwords\")%n",
          resolved.connectPassword());
    }
    return resolved;
  }
}
