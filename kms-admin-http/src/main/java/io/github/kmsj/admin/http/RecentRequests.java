package io.github.kmsj.admin.http;

import io.github.kmsj.core.host.HostListener;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.host.RequestEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last {@code capacity} requests a host processed (probes excepted), for the status page's
 * "recent requests" and "recent refusals": fixed rings, so memory stays bounded however busy the
 * host is. Give it to {@link KmsHost.Builder#listener}. Thread-safe and lock-free: a request costs
 * one atomic increment and one store, so event loops never wait for each other here.
 *
 * <p>A reader racing writers may see a slot already overwritten by a newer event; it never sees a
 * torn one (slots hold references to immutable events), and it drops events older than the ring.
 */
public final class RecentRequests implements HostListener {
  /** The ring's size unless told otherwise. */
  public static final int DEFAULT_CAPACITY = 200;

  private final Ring requests;
  private final Ring refusals;

  /** A ring of {@link #DEFAULT_CAPACITY} requests and as many refusals. */
  public RecentRequests() {
    this(DEFAULT_CAPACITY);
  }

  /** A ring of {@code capacity} requests and as many refusals. */
  public RecentRequests(int capacity) {
    if (capacity < 1 || capacity > 100_000) {
      throw new IllegalArgumentException("capacity must be 1-100000: " + capacity);
    }
    this.requests = new Ring(capacity);
    this.refusals = new Ring(capacity);
  }

  @Override
  public void onRequest(RequestEvent event) {
    if (event.probe()) {
      return;
    }
    requests.add(event);
    if (!event.isAnswered()) {
      refusals.add(event);
    }
  }

  /** The recent requests, newest first. */
  public List<RequestEvent> requests() {
    return requests.newestFirst();
  }

  /** The recent refused requests, newest first. */
  public List<RequestEvent> refusals() {
    return refusals.newestFirst();
  }

  private static final class Ring {
    private final AtomicReferenceArray<RequestEvent> slots;
    private final AtomicLong next = new AtomicLong();

    Ring(int capacity) {
      slots = new AtomicReferenceArray<>(capacity);
    }

    void add(RequestEvent event) {
      slots.set((int) (next.getAndIncrement() % slots.length()), event);
    }

    List<RequestEvent> newestFirst() {
      long end = next.get();
      int n = (int) Math.min(end, slots.length());
      List<RequestEvent> out = new ArrayList<>(n);
      for (long i = end - 1; i >= end - n; i--) {
        RequestEvent e = slots.get((int) (i % slots.length()));
        if (e != null) {
          out.add(e);
        }
      }
      return out;
    }
  }
}
