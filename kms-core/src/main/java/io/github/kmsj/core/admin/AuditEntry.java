package io.github.kmsj.core.admin;

import java.time.Instant;
import java.util.Objects;

/**
 * One change of a running host's settings, as {@link HostAdmin} made it: what changed, from what to
 * what, when and on whose behalf.
 *
 * @param time the host's time of the change
 * @param setting the setting's name, as the saved configuration names it ({@code renewal-interval},
 *     {@code port}, {@code dns-publishing}, ...)
 * @param oldValue the value before, as text
 * @param newValue the value after, as text
 * @param origin who asked: {@code "api"}, {@code "cli"}, {@code "http 127.0.0.1:53122 token"}
 */
public record AuditEntry(
    Instant time, String setting, String oldValue, String newValue, String origin) {
  /** Null checks. */
  public AuditEntry {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(setting, "setting");
    Objects.requireNonNull(oldValue, "oldValue");
    Objects.requireNonNull(newValue, "newValue");
    Objects.requireNonNull(origin, "origin");
  }

  @Override
  public String toString() {
    return time + " " + setting + ": " + oldValue + " -> " + newValue + " (" + origin + ")";
  }
}
