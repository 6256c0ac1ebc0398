package io.trickle.connectors.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small client for the Kafka Connect REST API: deploy, inspect and remove connectors.
 * Every failure is a {@link ConnectRestException} naming the call, the HTTP status and the body.
 *
 * <p>Calls that the worker refuses with 409 (a rebalance is in progress) are retried for a while,
 * because right after a worker starts or a connector changes that answer is expected.
 */
public final class ConnectRestClient {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration REBALANCE_RETRY = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http;

  /** @param baseUrl the worker's REST address, e.g. {@code http://127.0.0.1:8083} */
  public ConnectRestClient(String baseUrl) {
    String b = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.base = URI.create(b);
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  public String baseUrl() {
    return base.toString();
  }

  /**
   * Creates the connector or replaces its configuration ({@code PUT /connectors/{name}/config});
   * putting the same configuration again changes nothing.
   *
   * @return true when the connector was created, false when it existed
   */
  public boolean putConnectorConfig(String name, Map<String, String> config) {
    String body;
    try {
      body = JSON.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("connector config is not serialisable", e);
    }
    HttpResponse<String> r = send("PUT", "/connectors/" + enc(name) + "/config", body, 200, 201);
    return r.statusCode() == 201;
  }

  /** True when a connector of that name exists. */
  public boolean exists(String name) {
    return send("GET", "/connectors/" + enc(name), null, 200, 404).statusCode() == 200;
  }

  /** The names of all connectors. */
  public List<String> connectors() {
    JsonNode n = json(send("GET", "/connectors", null, 200));
    List<String> names = new ArrayList<>();
    n.forEach(e -> names.add(e.asText()));
    return names;
  }

  /** The connector's configuration as the worker stores it. */
  public Map<String, String> config(String name) {
    HttpResponse<String> r = send("GET", "/connectors/" + enc(name) + "/config", null, 200);
    try {
      return JSON.readValue(r.body(), JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class));
    } catch (JsonProcessingException e) {
      throw new ConnectRestException("GET config of " + name + " returned no JSON object", r.statusCode(), r.body());
    }
  }

  /** The connector's and its tasks' states. */
  public ConnectorStatus status(String name) {
    JsonNode n = json(send("GET", "/connectors/" + enc(name) + "/status", null, 200));
    JsonNode c = n.path("connector");
    List<ConnectorStatus.Task> tasks = new ArrayList<>();
    for (JsonNode t : n.path("tasks")) {
      tasks.add(new ConnectorStatus.Task(t.path("id").asInt(), t.path("state").asText(),
          text(t, "worker_id"), text(t, "trace")));
    }
    return new ConnectorStatus(n.path("name").asText(name), c.path("state").asText("UNKNOWN"), text(c, "trace"), tasks);
  }

  /**
   * Removes the connector; its committed source offsets stay in the offsets topic.
   *
   * @return false when there was no such connector
   */
  public boolean delete(String name) {
    return send("DELETE", "/connectors/" + enc(name), null, 200, 202, 204, 404).statusCode() != 404;
  }

  /** Restarts the connector and, with {@code includeTasks}, its tasks (only failed ones if {@code onlyFailed}). */
  public void restart(String name, boolean includeTasks, boolean onlyFailed) {
    send("POST", "/connectors/" + enc(name) + "/restart?includeTasks=" + includeTasks + "&onlyFailed=" + onlyFailed,
        "", 200, 202, 204);
  }

  /**
   * Restarts the connector's failed parts, if any (a connector that exists from an earlier run
   * may have failed while nobody watched), and waits until none is FAILED any more.
   *
   * @return true when something was restarted
   */
  public boolean restartIfFailed(String name, Duration timeout) {
    ConnectorStatus s;
    try {
      s = status(name);
    } catch (ConnectRestException e) {
      if (e.status() == 404) {
        return false; // just created: no status yet, so nothing has failed
      }
      throw e;
    }
    if (!s.failed()) {
      return false;
    }
    restart(name, true, true);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (status(name).failed() && System.nanoTime() < deadline) {
      sleep(100);
    }
    return true;
  }

  /**
   * Waits until the connector and all its tasks are RUNNING.
   *
   * @throws ConnectRestException when the connector or a task FAILED (with the first trace lines),
   *     or when the time runs out (with the last status seen)
   */
  public ConnectorStatus awaitRunning(String name, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    ConnectorStatus last = null;
    while (true) {
      try {
        last = status(name);
        if (last.running()) {
          return last;
        }
        if (last.failed()) {
          throw new ConnectRestException("connector " + name + " failed:\n" + last.failureSummary(8), 0, "");
        }
      } catch (ConnectRestException e) {
        // 404: the status is not there yet right after creation.
        if (e.status() != 404) {
          throw e;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new ConnectRestException("connector " + name + " not RUNNING after " + timeout + ", last status: "
            + (last == null ? "none" : last.state() + " tasks " + last.tasks()), 0, "");
      }
      sleep(100);
    }
  }

  /** The connector plugins the worker can run. */
  public List<ConnectorPlugin> connectorPlugins() {
    JsonNode n = json(send("GET", "/connector-plugins?connectorsOnly=true", null, 200));
    List<ConnectorPlugin> plugins = new ArrayList<>();
    for (JsonNode p : n) {
      plugins.add(new ConnectorPlugin(p.path("class").asText(), p.path("type").asText(), text(p, "version")));
    }
    return plugins;
  }

  /** True when the worker answers and has joined its group ({@code GET /health} is 200). */
  public boolean healthy() {
    try {
      HttpResponse<String> r = http.send(request("GET", "/health", null), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A connector plugin as listed by {@code GET /connector-plugins}. */
  public record ConnectorPlugin(String className, String type, String version) {}

  private HttpResponse<String> send(String method, String path, String body, int... expected) {
    long deadline = System.nanoTime() + REBALANCE_RETRY.toNanos();
    while (true) {
      HttpResponse<String> r;
      try {
        r = http.send(request(method, path, body), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new ConnectRestException(method + " " + base + path + " failed", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ConnectRestException(method + " " + base + path + " interrupted", e);
      }
      for (int code : expected) {
        if (r.statusCode() == code) {
          return r;
        }
      }
      if (r.statusCode() == 409 && System.nanoTime() < deadline) {
        sleep(250);
        continue;
      }
      throw new ConnectRestException(method + " " + base + path + " failed", r.statusCode(), r.body());
    }
  }

  private HttpRequest request(String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT)
        .header("Accept", "application/json");
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    return b.build();
  }

  private static JsonNode json(HttpResponse<String> r) {
    try {
      return JSON.readTree(r.body());
    } catch (JsonProcessingException e) {
      throw new ConnectRestException("response is not JSON", r.statusCode(), r.body());
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String enc(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectRestException("interrupted while waiting", e);
    }
  }
}
