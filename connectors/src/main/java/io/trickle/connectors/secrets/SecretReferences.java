package io.trickle.connectors.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;

/**
 * Passwords reach Kafka Connect as config provider references ({@code ${file:/path:key}},
 * {@code ${env:VAR}}), never as values: Connect stores connector configs in a Kafka topic and
 * serves them on {@code GET /connectors/{name}/config}, but resolves references only when it
 * hands a config to a connector or task. The worker must declare the providers
 * ({@link #workerConfig(Path)}).
 */
public final class SecretReferences {
  /** The provider name of {@link FileConfigProvider}: {@code ${file:/path/to/x.properties:key}}. */
  public static final String FILE_PROVIDER = "file";
  /** The provider name of {@link EnvVarConfigProvider}: {@code ${env:VAR}}. */
  public static final String ENV_PROVIDER = "env";
  /** The environment variables the worker's {@code env} provider may read. */
  public static final String ENV_ALLOWLIST = "PGPASSWORD|TRICKLE_[A-Z0-9_]*";

  private static final Pattern REFERENCE = Pattern.compile("\\$\\{[A-Za-z0-9_.-]+:[^{}]*}");

  private SecretReferences() {}

  /** True for exactly one config provider reference such as {@code ${env:PGPASSWORD}}. */
  public static boolean isReference(String value) {
    return value != null && REFERENCE.matcher(value).matches();
  }

  /**
   * {@code value} if it is empty (no password) or a reference. Anything else may be a password,
   * so it is refused, and the message does not repeat it.
   */
  public static String requireReferenceOrEmpty(String key, String value) {
    String v = value == null ? "" : value;
    if (!v.isEmpty() && !isReference(v)) {
      throw new IllegalArgumentException(key + " must be a Kafka Connect config provider reference such as"
          + " ${env:PGPASSWORD} or ${file:/path/secrets.properties:password}, never the password itself");
    }
    return v;
  }

  public static String fileReference(Path file, String key) {
    return "${" + FILE_PROVIDER + ":" + file.toAbsolutePath() + ":" + key + "}";
  }

  public static String envReference(String variable) {
    return "${" + ENV_PROVIDER + ":" + variable + "}";
  }

  private static void restrict(Path p, String perms) throws IOException {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the directory's own access rules apply.
    }
  }

  /**
   * The worker settings that declare the {@code trickle} ({@link InProcessSecrets}, for a worker
   * in trickle's own process), {@code file} and {@code env} providers. The file
   * provider may read only under {@code secretsDir}, which is created (owner-only) because Kafka
   * refuses an allowed path that does not exist; the env provider reads only {@value #ENV_ALLOWLIST}.
   */
  public static Map<String, String> workerConfig(Path secretsDir) {
    try {
      Files.createDirectories(secretsDir);
      restrict(secretsDir, "rwx------");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + secretsDir + ": " + e.getMessage(), e);
    }
    Map<String, String> m = new LinkedHashMap<>();
    m.put("config.providers", InProcessSecrets.PROVIDER + "," + FILE_PROVIDER + "," + ENV_PROVIDER);
    m.put("config.providers." + InProcessSecrets.PROVIDER + ".class", InProcessSecrets.class.getName());
    m.put("config.providers." + FILE_PROVIDER + ".class", FileConfigProvider.class.getName());
    m.put("config.providers." + FILE_PROVIDER + ".param." + FileConfigProvider.ALLOWED_PATHS_CONFIG,
        secretsDir.toAbsolutePath().toString());
    m.put("config.providers." + ENV_PROVIDER + ".class", EnvVarConfigProvider.class.getName());
    m.put("config.providers." + ENV_PROVIDER + ".param." + EnvVarConfigProvider.ALLOWLIST_PATTERN_CONFIG,
        ENV_ALLOWLIST);
    return m;
  }
}
