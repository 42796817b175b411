package io.github.kmsj.core.store;

import io.github.kmsj.core.host.HostResponse;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.protocol.message.Guid;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The child JVM of {@link StoreCrashTest}: a host on a per-request file store that handles requests
 * until it is killed. It prints {@code SEND <cmid>} before handing a request to the host and {@code
 * ACK <cmid>} only after the host returned its response.
 *
 * <p>Arguments: directory, run number (its new CMIDs are {@code run * 1000 + i}), random seed.
 */
final class StoreCrashChild {
  static final int POLICY = 500;

  private StoreCrashChild() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int run = Integer.parseInt(args[1]);
    Random random = new Random(Long.parseLong(args[2]));
    PrintStream out = System.out;
    KmsHost host =
        KmsHost.builder()
            .store(
                FileHostStore.builder()
                    .directory(dir)
                    .durability(Durability.PER_REQUEST)
                    .snapshotEveryChanges(23)
                    .build())
            .build();
    out.println("READY");
    out.flush();
    List<Guid> used = new ArrayList<>();
    for (int i = 0; i < 999; i++) {
      Guid cmid =
          !used.isEmpty() && random.nextInt(4) == 0
              ? used.get(random.nextInt(used.size()))
              : StoreTestRequests.cmid(run * 1000L + i);
      used.add(cmid);
      Instant now = Instant.now();
      out.println("SEND " + cmid);
      out.flush();
      HostResponse r =
          host.handle(
              StoreTestRequests.request(cmid, POLICY, now), now, StoreTestRequests.remote(i));
      if (!(r instanceof HostResponse.Answered)) {
        throw new IllegalStateException("refused: " + r);
      }
      out.println("ACK " + cmid);
      out.flush();
    }
    host.close();
    out.println("DONE");
    out.flush();
  }
}
