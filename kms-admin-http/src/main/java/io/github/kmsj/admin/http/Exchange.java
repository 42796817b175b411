package io.github.kmsj.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One HTTP request and its answer: bounded body reads, query parameters, JSON and text replies. */
final class Exchange {
  /** The largest request body read; a larger one is refused with 413. */
  static final int MAX_BODY = 1 << 20;

  static final ObjectMapper JSON = new ObjectMapper();

  final HttpExchange http;
  private final Map<String, String> query;
  private boolean answered;

  Exchange(HttpExchange http) {
    this.http = http;
    this.query = parseForm(Optional.ofNullable(http.getRequestURI().getRawQuery()).orElse(""));
  }

  String method() {
    return http.getRequestMethod();
  }

  String path() {
    return http.getRequestURI().getPath();
  }

  Optional<String> query(String name) {
    return Optional.ofNullable(query.get(name));
  }

  Map<String, String> query() {
    return query;
  }

  Optional<String> header(String name) {
    return Optional.ofNullable(http.getRequestHeaders().getFirst(name));
  }

  /** The cookie {@code name}, if the request carries it. */
  Optional<String> cookie(String name) {
    List<String> headers = http.getRequestHeaders().get("Cookie");
    if (headers == null) {
      return Optional.empty();
    }
    for (String header : headers) {
      for (String part : header.split(";")) {
        String p = part.strip();
        int eq = p.indexOf('=');
        if (eq > 0 && p.substring(0, eq).equals(name)) {
          return Optional.of(p.substring(eq + 1));
        }
      }
    }
    return Optional.empty();
  }

  byte[] body() throws IOException {
    try (InputStream in = http.getRequestBody()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        if (out.size() + n > MAX_BODY) {
          throw new HttpError(413, "the request body is larger than " + MAX_BODY + " bytes");
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    }
  }

  /** The body as a JSON object; an empty body is an empty object. */
  JsonNode jsonBody() throws IOException {
    byte[] body = body();
    if (body.length == 0) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode node = JSON.readTree(body);
      if (node == null || !node.isObject()) {
        throw new HttpError(400, "the request body must be a JSON object");
      }
      return node;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new HttpError(400, "the request body is not JSON: " + e.getOriginalMessage());
    }
  }

  /** The body as {@code application/x-www-form-urlencoded} fields. */
  Map<String, String> formBody() throws IOException {
    return parseForm(new String(body(), StandardCharsets.UTF_8));
  }

  static Map<String, String> parseForm(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        out.putIfAbsent(
            URLDecoder.decode(k, StandardCharsets.UTF_8),
            URLDecoder.decode(v, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new HttpError(400, "malformed form or query field: " + k);
      }
    }
    return out;
  }

  void json(int status, JsonNode body) throws IOException {
    send(status, "application/json; charset=utf-8", JSON.writeValueAsBytes(body));
  }

  void text(int status, String contentType, String body) throws IOException {
    send(status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  void send(int status, String contentType, byte[] body) throws IOException {
    answered = true;
    http.getResponseHeaders().set("Content-Type", contentType);
    http.getResponseHeaders().set("Cache-Control", "no-store");
    http.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    boolean head = method().equals("HEAD");
    http.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
    if (!head) {
      try (OutputStream out = http.getResponseBody()) {
        out.write(body);
      }
    }
  }

  void redirect(String location) throws IOException {
    answered = true;
    http.getResponseHeaders().set("Location", location);
    http.getResponseHeaders().set("Cache-Control", "no-store");
    http.sendResponseHeaders(303, -1);
  }

  boolean isAnswered() {
    return answered;
  }

  /** An error answered with its status and {@code {"error": message}}. */
  static final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    HttpError(int status, String message) {
      super(message);
      this.status = status;
    }
  }
}
