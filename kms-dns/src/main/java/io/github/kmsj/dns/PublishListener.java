package io.github.kmsj.dns;

/**
 * A receiver of {@link PublishEvent}s. Called on the publishing thread; an exception it throws is
 * logged and does not stop publishing.
 */
@FunctionalInterface
public interface PublishListener {

  /** Receives one outcome. */
  void onEvent(PublishEvent event);
}
