package io.github.kmsj.core.host;

import io.github.kmsj.core.catalog.HostKeyGroup;
import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.message.BaseResponse;
import io.github.kmsj.protocol.message.HResult;
import java.util.Objects;

/** What a {@link KmsHost} answers to one request: a response or a refusal with an HRESULT. */
public sealed interface HostResponse permits HostResponse.Answered, HostResponse.Refused {
  /** The HRESULT the RPC stub carries. */
  HResult hresult();

  /**
   * The host answers with its count; the client decides against its N policy.
   *
   * @param base the base response to encode
   * @param hwid the host's hardware ID (V6)
   * @param group the host-key group that covered the product
   */
  record Answered(BaseResponse base, Bytes hwid, HostKeyGroup group) implements HostResponse {
    /** Null checks. */
    public Answered {
      Objects.requireNonNull(base, "base");
      Objects.requireNonNull(hwid, "hwid");
      Objects.requireNonNull(group, "group");
    }

    @Override
    public HResult hresult() {
      return HResult.S_OK;
    }
  }

  /**
   * The host refuses.
   *
   * @param hresult why, as the client will see it
   * @param reason a sentence for logs and events
   */
  record Refused(HResult hresult, String reason) implements HostResponse {
    /** Null checks. */
    public Refused {
      Objects.requireNonNull(hresult, "hresult");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
