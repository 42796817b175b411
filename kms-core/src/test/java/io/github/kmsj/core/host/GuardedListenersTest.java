package io.github.kmsj.core.host;

import static io.github.kmsj.core.host.TestCalls.PEER;
import static io.github.kmsj.core.host.TestCalls.base;
import static io.github.kmsj.core.host.TestCalls.call;
import static io.github.kmsj.core.host.TestCalls.cmid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.kmsj.protocol.message.HResult;
import io.github.kmsj.protocol.message.LicenseStatus;
import io.github.kmsj.protocol.rpc.KmsCall;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A failing listener is logged and skipped: the response and the later listeners are unaffected.
 */
final class GuardedListenersTest {
  private static final List<KmsCall> CALLS =
      List.of(
          call(base(cmid(1), 1)),
          call(base(cmid(2), 25)),
          call(base(cmid(3), 25, LicenseStatus.OOB_GRACE, TestCalls.UNKNOWN_KMS_ID, TestCalls.NOW)),
          TestCalls.messageCall(TestCalls.version7Message()),
          TestCalls.stubCall(new byte[] {1, 2, 3}),
          call(base(KmsHost.PROBE_CMID, 25)));

  @Test
  void answer_throwingListener_sameResponseBytesAndLaterListenersStillCalled() {
    KmsHost plain = TestCalls.host().build();
    RecordingListener after = new RecordingListener();
    KmsHost guarded =
        TestCalls.host()
            .listener(
                e -> {
                  throw new IllegalStateException("listener bug");
                })
            .listener(
                e -> {
                  throw new NoClassDefFoundError("missing listener dependency");
                })
            .listener(after)
            .build();

    for (KmsCall c : CALLS) {
      byte[] expected = plain.rpcHandler().answer(c, PEER).join();
      byte[] actual = guarded.rpcHandler().answer(c, PEER).join();
      assertArrayEquals(expected, actual);
    }

    assertEquals(CALLS.size(), after.events.size());
    assertEquals(HResult.S_OK, after.events.get(0).hresult());
  }

  @Test
  void answer_jsonLoggerWithFailingStream_sameHresultAndCount() {
    OutputStream broken =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("disk full");
          }
        };
    RequestCounters counters = new RequestCounters();
    KmsHost host =
        TestCalls.host()
            .listener(JsonLinesRequestLogger.toStream(broken))
            .listener(counters)
            .build();

    byte[] stub = host.rpcHandler().answer(call(base(cmid(1), 1)), PEER).join();

    assertEquals(HResult.S_OK, TestCalls.hresult(stub));
    assertEquals(1, counters.snapshot().totalRequests());
  }
}
