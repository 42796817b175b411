package io.github.kmsj.core.admin;

/**
 * Told of every setting a {@link HostAdmin} changed, after the change took effect; called on the
 * thread that made the change. A listener that throws is logged and skipped.
 */
@FunctionalInterface
public interface AdminListener {
  /** One change, with the settings in force after it. */
  void onChange(AuditEntry entry, AdminSettings settings);
}
