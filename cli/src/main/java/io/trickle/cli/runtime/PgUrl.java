package io.trickle.cli.runtime;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A PostgreSQL JDBC URL taken apart, because Debezium wants host, port, database, user and
 * password as separate settings. Credentials come from the URL's {@code user}/{@code password}
 * parameters, falling back to {@code PGUSER}/{@code PGPASSWORD}.
 */
public record PgUrl(String jdbcUrl, String host, int port, String database, String user, String password) {

  public static PgUrl parse(String jdbcUrl) {
    if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
      throw new IllegalArgumentException("--pg must be a jdbc:postgresql://host:port/database URL, got " + jdbcUrl);
    }
    URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
    Map<String, String> params = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String kv : uri.getRawQuery().split("&")) {
        int eq = kv.indexOf('=');
        String k = eq < 0 ? kv : kv.substring(0, eq);
        String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
        params.put(k, v);
      }
    }
    String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
    String user = params.getOrDefault("user", envOr("PGUSER", "postgres"));
    String password = params.getOrDefault("password", envOr("PGPASSWORD", ""));
    String url = jdbcUrl;
    if (!params.containsKey("user")) {
      url += (url.contains("?") ? "&" : "?") + "user=" + user;
      if (!password.isEmpty()) {
        url += "&password=" + java.net.URLEncoder.encode(password, StandardCharsets.UTF_8);
      }
    }
    return new PgUrl(url, uri.getHost() == null ? "localhost" : uri.getHost(),
        uri.getPort() < 0 ? 5432 : uri.getPort(), db, user, password);
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isEmpty() ? fallback : v;
  }

  /** The database name reduced to characters safe in topic, slot and connector names. */
  public String safeDatabaseName() {
    return database.toLowerCase().replaceAll("[^a-z0-9_]", "_");
  }
}
