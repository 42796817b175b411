package io.github.kmsj.core.internal;

import java.util.Objects;

/** The set-once rule of kms-core's builders: a second call fails, naming the setting and value. */
public final class SetOnce {
  private SetOnce() {}

  /**
   * {@code value}, checked not null, if {@code current} is unset.
   *
   * @throws IllegalStateException if the setting {@code name} already has a value
   */
  public static <T> T set(T current, T value, String name) {
    Objects.requireNonNull(value, name);
    if (current != null) {
      throw new IllegalStateException(name + " was already set to " + current);
    }
    return value;
  }
}
