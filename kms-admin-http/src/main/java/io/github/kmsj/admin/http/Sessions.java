package io.github.kmsj.admin.http;

import io.github.kmsj.core.time.Ticker;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The status page's browser sessions: a login with the token gets a random session ID, sent back as
 * an {@code HttpOnly; SameSite=Strict} cookie, valid for {@link #LIFETIME}. At most {@link #MAX}
 * live at once (the oldest goes first). Thread-safe.
 */
final class Sessions {
  static final String COOKIE = "kmsj_session";
  static final Duration LIFETIME = Duration.ofHours(12);
  static final int MAX = 64;

  private final Ticker ticker;
  private final SecureRandom random;

  /** Session ID to its expiry (ticker nanoseconds), oldest first. */
  private final LinkedHashMap<String, Long> live = new LinkedHashMap<>();

  Sessions(Ticker ticker, SecureRandom random) {
    this.ticker = ticker;
    this.random = random;
  }

  synchronized String open() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    expire();
    while (live.size() >= MAX) {
      Iterator<Map.Entry<String, Long>> oldest = live.entrySet().iterator();
      oldest.next();
      oldest.remove();
    }
    live.put(id, ticker.read() + LIFETIME.toNanos());
    return id;
  }

  synchronized boolean isValid(String id) {
    if (id == null) {
      return false;
    }
    expire();
    // A map lookup of a 256-bit random ID: its timing says nothing useful about other IDs.
    return live.containsKey(id);
  }

  synchronized void close(String id) {
    if (id != null) {
      live.remove(id);
    }
  }

  private void expire() {
    long now = ticker.read();
    live.values().removeIf(expiry -> expiry - now <= 0);
  }
}
