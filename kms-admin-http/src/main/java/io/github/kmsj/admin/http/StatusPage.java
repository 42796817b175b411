package io.github.kmsj.admin.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The status page: one HTML file, its script and its style sheet, all served by the endpoint itself
 * (no external resource: the Content-Security-Policy allows only this origin), and the login form
 * the page shows to a browser without a session.
 */
final class StatusPage {
  /** Everything from this origin only; no inline script, no frames. */
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  private final byte[] index = resource("index.html");
  private final String login = new String(resource("login.html"), StandardCharsets.UTF_8);

  void index(Exchange ex) throws IOException {
    headers(ex);
    ex.send(200, "text/html; charset=utf-8", index);
  }

  void login(Exchange ex, int status, boolean wrongToken) throws IOException {
    headers(ex);
    ex.text(
        status,
        "text/html; charset=utf-8",
        login.replace(
            "<!--message-->",
            wrongToken
                ? "<p class=\"error\" id=\"login-error\">That token is not right.</p>"
                : ""));
  }

  void asset(Exchange ex, String name, String contentType) throws IOException {
    headers(ex);
    ex.send(200, contentType, resource(name));
  }

  private static void headers(Exchange ex) {
    ex.http.getResponseHeaders().set("Content-Security-Policy", CSP);
    ex.http.getResponseHeaders().set("Referrer-Policy", "no-referrer");
    ex.http.getResponseHeaders().set("X-Frame-Options", "DENY");
  }

  private static byte[] resource(String name) {
    try (InputStream in = StatusPage.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
