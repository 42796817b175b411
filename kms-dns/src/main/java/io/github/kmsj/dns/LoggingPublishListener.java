package io.github.kmsj.dns;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link PublishListener}: successes at INFO, failures at WARN. Events hold no secrets.
 */
final class LoggingPublishListener implements PublishListener {

  private static final Logger LOG = LoggerFactory.getLogger(SrvPublisher.class);

  @Override
  public void onEvent(PublishEvent event) {
    if (event instanceof PublishEvent.Published p) {
      LOG.info(
          "Published SRV {} {} {} {} {} in zone {}",
          p.recordName(),
          p.priority(),
          p.weight(),
          p.port(),
          p.target(),
          p.zone());
    } else if (event instanceof PublishEvent.Removed r) {
      LOG.info(
          "Removed {} SRV record(s) for {} from {} in zone {}",
          r.removed(),
          r.target(),
          r.recordName(),
          r.zone());
    } else if (event instanceof PublishEvent.Failed f) {
      LOG.warn(
          "SRV {} of {} failed: {}: {}", f.operation(), f.recordName(), f.reason(), f.detail());
    }
  }
}
