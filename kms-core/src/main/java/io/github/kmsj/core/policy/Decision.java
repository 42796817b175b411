package io.github.kmsj.core.policy;

import io.github.kmsj.core.catalog.HostKeyGroup;
import io.github.kmsj.protocol.message.BaseRequest;
import io.github.kmsj.protocol.message.HResult;
import java.util.Objects;

/** What {@link HostPolicy#decide} makes of one request: a refusal or an admission. */
public sealed interface Decision permits Decision.Refusal, Decision.Admission {

  /**
   * The host refuses; nothing is counted.
   *
   * @param hresult what the client will see
   * @param reason one sentence for logs and events
   */
  record Refusal(HResult hresult, String reason) implements Decision {
    /** Null checks. */
    public Refusal {
      Objects.requireNonNull(hresult, "hresult");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * The host answers the request with its count.
   *
   * @param request the request's base fields
   * @param group the host-key group that covers its product; its ePID goes into the answer
   * @param probe whether the request carries the {@link HostPolicy#PROBE_CMID probe CMID}: it is
   *     answered with the current count and never counted or remembered
   */
  record Admission(BaseRequest request, HostKeyGroup group, boolean probe) implements Decision {
    /** Null checks. */
    public Admission {
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(group, "group");
    }
  }
}
