package io.github.kmsj.core.count;

import io.github.kmsj.protocol.message.Guid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wraps a listener so that its failure is logged and cannot stop counting. */
final class GuardedCounterListener implements CounterListener {

  private static final Logger LOG = LoggerFactory.getLogger(GuardedCounterListener.class);

  private final CounterListener delegate;

  private GuardedCounterListener(CounterListener delegate) {
    this.delegate = delegate;
  }

  static CounterListener guard(CounterListener listener) {
    return listener == NONE || listener instanceof GuardedCounterListener
        ? listener
        : new GuardedCounterListener(listener);
  }

  @Override
  public void onAdded(Guid applicationId, CmidEntry entry) {
    try {
      delegate.onAdded(applicationId, entry);
    } catch (RuntimeException e) {
      LOG.warn("counter listener failed in onAdded for application {}", applicationId, e);
    }
  }

  @Override
  public void onRefreshed(Guid applicationId, CmidEntry entry) {
    try {
      delegate.onRefreshed(applicationId, entry);
    } catch (RuntimeException e) {
      LOG.warn("counter listener failed in onRefreshed for application {}", applicationId, e);
    }
  }

  @Override
  public void onEvicted(Guid applicationId, CmidEntry entry) {
    try {
      delegate.onEvicted(applicationId, entry);
    } catch (RuntimeException e) {
      LOG.warn("counter listener failed in onEvicted for application {}", applicationId, e);
    }
  }

  @Override
  public void onExpired(Guid applicationId, CmidEntry entry) {
    try {
      delegate.onExpired(applicationId, entry);
    } catch (RuntimeException e) {
      LOG.warn("counter listener failed in onExpired for application {}", applicationId, e);
    }
  }

  @Override
  public void onPolicyRaised(Guid applicationId, int previousPolicy, int highestPolicy) {
    try {
      delegate.onPolicyRaised(applicationId, previousPolicy, highestPolicy);
    } catch (RuntimeException e) {
      LOG.warn("counter listener failed in onPolicyRaised for application {}", applicationId, e);
    }
  }
}
