package io.github.kmsj.dns;

/**
 * A receiver of {@link PublishEvent}s. Called on the publishing thread; an exception it throws is
 * logged and does not stop publishing.
 */
@FunctionalInterface
public interface PublishListener {

  /** Receives one outcome. */
  void onEvent(PublishEvent event);

  /**
   * The listener a publisher has when none is given: successes at INFO, failures at WARN, through
   * SLF4J.
   */
  static PublishListener logging() {
    return new LoggingPublishListener();
  }

  /** This listener, then {@code next}; a failure of this one does not keep {@code next} from it. */
  default PublishListener andThen(PublishListener next) {
    java.util.Objects.requireNonNull(next, "next");
    return event -> {
      try {
        onEvent(event);
      } finally {
        next.onEvent(event);
      }
    };
  }
}
