package io.github.kmsj.admin.http;

import io.github.kmsj.core.host.HostListener;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.host.RequestEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} requests a host processed (probes excepted), for the status page's
 * "recent requests" and "recent refusals": a fixed ring, so memory stays bounded however busy the
 * host is. Give it to {@link KmsHost.Builder#listener}. Thread-safe; one short lock per request.
 */
public final class RecentRequests implements HostListener {
  /** The ring's size unless told otherwise. */
  public static final int DEFAULT_CAPACITY = 200;

  private final RequestEvent[] requests;
  private final RequestEvent[] refusals;
  private long requestCount;
  private long refusalCount;

  /** A ring of {@link #DEFAULT_CAPACITY} requests and as many refusals. */
  public RecentRequests() {
    this(DEFAULT_CAPACITY);
  }

  /** A ring of {@code capacity} requests and as many refusals. */
  public RecentRequests(int capacity) {
    if (capacity < 1 || capacity > 100_000) {
      throw new IllegalArgumentException("capacity must be 1-100000: " + capacity);
    }
    this.requests = new RequestEvent[capacity];
    this.refusals = new RequestEvent[capacity];
  }

  @Override
  public void onRequest(RequestEvent event) {
    if (event.probe()) {
      return;
    }
    synchronized (this) {
      requests[(int) (requestCount++ % requests.length)] = event;
      if (!event.isAnswered()) {
        refusals[(int) (refusalCount++ % refusals.length)] = event;
      }
    }
  }

  /** The recent requests, newest first. */
  public synchronized List<RequestEvent> requests() {
    return newestFirst(requests, requestCount);
  }

  /** The recent refused requests, newest first. */
  public synchronized List<RequestEvent> refusals() {
    return newestFirst(refusals, refusalCount);
  }

  private static List<RequestEvent> newestFirst(RequestEvent[] ring, long count) {
    int n = (int) Math.min(count, ring.length);
    List<RequestEvent> out = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      out.add(ring[(int) ((count - i) % ring.length)]);
    }
    return out;
  }
}
