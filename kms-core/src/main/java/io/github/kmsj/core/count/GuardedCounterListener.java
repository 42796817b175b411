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
    guarded("onAdded", applicationId, () -> delegate.onAdded(applicationId, entry));
  }

  @Override
  public void onRefreshed(Guid applicationId, CmidEntry entry) {
    guarded("onRefreshed", applicationId, () -> delegate.onRefreshed(applicationId, entry));
  }

  @Override
  public void onEvicted(Guid applicationId, CmidEntry entry) {
    guarded("onEvicted", applicationId, () -> delegate.onEvicted(applicationId, entry));
  }

  @Override
  public void onExpired(Guid applicationId, CmidEntry entry) {
    guarded("onExpired", applicationId, () -> delegate.onExpired(applicationId, entry));
  }

  @Override
  public void onPolicyRaised(Guid applicationId, int previousPolicy, int highestPolicy) {
    guarded(
        "onPolicyRaised",
        applicationId,
        () -> delegate.onPolicyRaised(applicationId, previousPolicy, highestPolicy));
  }

  private static void guarded(String callback, Guid applicationId, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.warn("counter listener failed in {} for application {}", callback, applicationId, e);
    }
  }
}
