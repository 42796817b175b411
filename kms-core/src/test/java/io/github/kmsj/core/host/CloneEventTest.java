package io.github.kmsj.core.host;

import static io.github.kmsj.core.host.TestCalls.PEER;
import static io.github.kmsj.core.host.TestCalls.WIN10_KMS_ID;
import static io.github.kmsj.core.host.TestCalls.WIN10_PRO_SKU;
import static io.github.kmsj.core.host.TestCalls.WINDOWS;
import static io.github.kmsj.core.host.TestCalls.call;
import static io.github.kmsj.core.host.TestCalls.cmid;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.kmsj.core.time.ManualScheduler;
import io.github.kmsj.protocol.message.BaseRequest;
import io.github.kmsj.protocol.message.Filetime;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.LicenseStatus;
import io.github.kmsj.protocol.message.ProtocolVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The host's {@link HostListener#onClone} on a manual clock. */
final class CloneEventTest {
  private final ManualScheduler time = new ManualScheduler(Instant.parse("2025-06-01T08:00:00Z"));
  private final List<CloneEvent> clones = new ArrayList<>();
  private final KmsHost host =
      KmsHost.builder()
          .time(time)
          .random(new Random(3))
          .listener(
              new HostListener() {
                @Override
                public void onRequest(RequestEvent event) {}

                @Override
                public void onClone(CloneEvent event) {
                  clones.add(event);
                }
              })
          .build();

  private void request(Guid cmid, String workstation) {
    BaseRequest base =
        new BaseRequest(
            ProtocolVersion.V6,
            0,
            LicenseStatus.OOB_GRACE,
            43200,
            WINDOWS,
            WIN10_PRO_SKU,
            WIN10_KMS_ID,
            cmid,
            25,
            Filetime.of(time.instant()),
            Guid.ZERO,
            workstation);
    host.rpcHandler().answer(call(base), PEER).join();
    time.advance(Duration.ofMinutes(5));
  }

  @Test
  void threeMachinesOneCmid_oneEventWithTheNamesAndTheCountStaysOne() {
    request(cmid(1), "pc-a.corp.test");
    request(cmid(1), "pc-a.corp.test");
    request(cmid(2), "pc-z.corp.test");
    assertEquals(List.of(), clones);

    request(cmid(1), "pc-b.corp.test");
    request(cmid(1), "pc-c.corp.test");
    request(cmid(1), "pc-a.corp.test");

    assertEquals(1, clones.size(), clones::toString);
    assertEquals(cmid(1), clones.get(0).suspect().cmid());
    assertEquals(
        List.of("pc-a.corp.test", "pc-b.corp.test"), clones.get(0).suspect().workstationNames());
    assertEquals(2, host.currentCount(WINDOWS, time.instant()), "the clones count as one");
  }

  @Test
  void probeCmidFromTwoNames_neverAClone() {
    request(KmsHost.PROBE_CMID, "probe-a");
    request(KmsHost.PROBE_CMID, "probe-b");
    assertEquals(List.of(), clones);
  }
}
