package io.trickle.topology;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A name (a stream table's, a captured table's {@code schema.table}) as part of a Kafka topic,
 * application id, processor or store name (and so of a changelog topic and a state directory).
 */
public final class KafkaNames {
  /** Names used as they are in Kafka: what an unquoted SQL name folds to, optionally qualified. */
  private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?");
  private static final int MAX_KAFKA_PART = 40;

  private KafkaNames() {}

  /**
   * Only {@code [A-Za-z0-9._-]}, never a path step, deterministic, and distinct for distinct
   * names. A plain lower-case name (what unquoted SQL names fold to) is kept, so existing
   * deployments keep their topics; any other gets its illegal characters replaced by {@code _},
   * is cut to 40 characters, and is tagged with {@code -} and a hash of the whole name (a plain
   * name never holds {@code -}, so the two kinds never meet).
   */
  public static String of(String name) {
    if (PLAIN.matcher(name).matches() && name.length() <= MAX_KAFKA_PART) {
      return name;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < name.length() && sb.length() < MAX_KAFKA_PART; i++) {
      char c = name.charAt(i);
      sb.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_') ? c : '_');
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return sb + "-" + HexFormat.of().formatHex(digest, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
