package io.trickle.connectors.rest;

/** A Kafka Connect REST call failed: carries the HTTP status (0 when no response) and body. */
public final class ConnectRestException extends RuntimeException {
  private final int status;
  private final String body;

  public ConnectRestException(String message, int status, String body) {
    super(message + (status > 0 ? " (HTTP " + status + ")" : "") + (body == null || body.isEmpty() ? "" : ": " + body));
    this.status = status;
    this.body = body;
  }

  public ConnectRestException(String message, Throwable cause) {
    super(message + ": " + cause, cause);
    this.status = 0;
    this.body = "";
  }

  /** The HTTP status code, or 0 when the worker could not be reached. */
  public int status() {
    return status;
  }

  public String body() {
    return body;
  }
}
