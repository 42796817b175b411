package io.github.kmsj.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.kmsj.dns.migrate.AdminChecks;
import io.github.kmsj.dns.migrate.ClientMovement;
import io.github.kmsj.protocol.message.Guid;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A kmsj host's admin HTTP endpoint as {@code migrate check} reads it (docs/ADMIN-HTTP.md): its
 * client list ({@code GET /api/clients}) and renewal interval ({@code GET /api/settings}).
 */
final class AdminEndpoint {
  private final URI base;
  private final String token;
  private final HttpClient http;
  private final Duration timeout;

  AdminEndpoint(String url, String token, Duration timeout) {
    String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    try {
      this.base = URI.create(u);
    } catch (IllegalArgumentException e) {
      throw new UsageException("not a URL: " + url);
    }
    if (base.getScheme() == null || !base.getScheme().startsWith("http")) {
      throw new UsageException("an admin URL starts with http:// or https://: " + url);
    }
    this.token = token;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** The first line of a token file, as {@code kmsj host --admin} writes it. */
  static String readToken(Path file) throws IOException {
    String first = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("");
    if (first.isBlank()) {
      throw new UsageException("the admin token file is empty: " + file);
    }
    return first.strip();
  }

  private JsonNode get(String path) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(timeout)
            .header("Authorization", "Bearer " + token)
            .GET()
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted reading " + base + path, e);
    }
    if (response.statusCode() != 200) {
      JsonNode error =
          response.body().startsWith("{")
              ? Json.MAPPER.readTree(response.body()).get("error")
              : null;
      throw new IOException(
          base
              + path
              + " answered "
              + response.statusCode()
              + (error == null ? "" : ": " + error.asText()));
    }
    return Json.MAPPER.readTree(response.body());
  }

  List<ClientMovement.Sighting> clients() throws IOException {
    List<ClientMovement.Sighting> out = new ArrayList<>();
    for (JsonNode c : get("/api/clients").get("clients")) {
      out.add(
          new ClientMovement.Sighting(
              Guid.parse(c.get("cmid").asText()),
              c.get("workstationName").asText(),
              Instant.parse(c.get("firstSeen").asText()),
              Instant.parse(c.get("lastSeen").asText())));
    }
    return out;
  }

  Duration renewalInterval() throws IOException {
    return Duration.ofMinutes(get("/api/settings").get("renewalIntervalMinutes").asLong());
  }

  /** This endpoint as a client source; a failed read surfaces as a FAIL of the check. */
  AdminChecks.ClientSource source() {
    return new AdminChecks.ClientSource() {
      @Override
      public List<ClientMovement.Sighting> clients() {
        try {
          return AdminEndpoint.this.clients();
        } catch (IOException e) {
          throw new UncheckedIOException(Kmsj.describe(e), e);
        }
      }

      @Override
      public Duration renewalInterval() {
        try {
          return AdminEndpoint.this.renewalInterval();
        } catch (IOException e) {
          throw new UncheckedIOException(Kmsj.describe(e), e);
        }
      }
    };
  }
}
