package io.github.kmsj.admin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.host.RequestEvent;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.test.KmsTestHost;
import io.github.kmsj.test.TestProduct;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

final class RecentRequestsTest {

  @Test
  void ring_keepsTheNewestNewestFirst_refusalsApart_probesNever() {
    RecentRequests recent = new RecentRequests(3);
    try (KmsTestHost t = KmsTestHost.builder().inProcess().host(b -> b.listener(recent)).start()) {
      for (int i = 0; i < 5; i++) {
        t.activate(
            TestProduct.WINDOWS_11_PRO
                .request()
                .randomCmid(new SplittableRandom(i))
                .workstationName("pc-" + i)
                .build());
      }
      t.activate(TestProduct.WINDOWS_11_PRO.request(KmsHost.PROBE_CMID));
      t.activate(
          TestProduct.WINDOWS_11_PRO
              .request()
              .randomCmid(new SplittableRandom(99))
              .workstationName("refused")
              .kmsCountedId(Guid.parse("00000000-1111-2222-3333-444444444444"))
              .build());
      List<String> names =
          recent.requests().stream().map(e -> e.workstationName().orElse("")).toList();
      assertEquals(List.of("refused", "pc-4", "pc-3"), names);
      List<RequestEvent> refusals = recent.refusals();
      assertEquals(1, refusals.size());
      assertEquals("refused", refusals.get(0).workstationName().orElseThrow());
    }
    assertThrows(IllegalArgumentException.class, () -> new RecentRequests(0));
  }
}
