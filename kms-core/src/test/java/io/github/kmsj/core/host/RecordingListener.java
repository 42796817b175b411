package io.github.kmsj.core.host;

import java.util.ArrayList;
import java.util.List;

/** Keeps every event it receives, for tests. */
final class RecordingListener implements HostListener {
  final List<RequestEvent> events = new ArrayList<>();

  @Override
  public void onRequest(RequestEvent event) {
    events.add(event);
  }

  RequestEvent last() {
    return events.get(events.size() - 1);
  }
}
