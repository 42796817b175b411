package io.github.kmsj.core.count;

import io.github.kmsj.protocol.message.Guid;

/**
 * Callbacks for every change of an {@link ActivationCounter}'s tables, so that a journal can record
 * them. Called on the writer's thread, inside the host's lock: keep them short. An exception is
 * logged and otherwise ignored; it never stops counting.
 */
public interface CounterListener {

  /** A listener that ignores every change. */
  CounterListener NONE = new CounterListener() {};

  /** A CMID that was not in the table was added. */
  default void onAdded(Guid applicationId, CmidEntry entry) {}

  /** A known CMID was seen again; {@code entry} holds its new {@code lastSeen} and count. */
  default void onRefreshed(Guid applicationId, CmidEntry entry) {}

  /** A CMID was removed because the table was full; it was the least recently seen. */
  default void onEvicted(Guid applicationId, CmidEntry entry) {}

  /** A CMID was removed because it was not seen for {@link ActivationCounter#ACTIVE_WINDOW}. */
  default void onExpired(Guid applicationId, CmidEntry entry) {}

  /** The highest N policy of an application rose, and with it the capacity. */
  default void onPolicyRaised(Guid applicationId, int previousPolicy, int highestPolicy) {}
}
