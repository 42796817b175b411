package io.github.kmsj.core.host;

import static io.github.kmsj.core.host.TestCalls.NOW;
import static io.github.kmsj.core.host.TestCalls.PEER;
import static io.github.kmsj.core.host.TestCalls.WINDOWS;
import static io.github.kmsj.core.host.TestCalls.base;
import static io.github.kmsj.core.host.TestCalls.call;
import static io.github.kmsj.core.host.TestCalls.cmid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.store.FileHostStore;
import io.github.kmsj.core.store.InMemoryHostStore;
import io.github.kmsj.core.transport.KmsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builders are set-once and copy their settings into immutable values at build(). */
final class HostBuilderTest {

  @Test
  void build_twice_givesIndependentHosts() {
    KmsHost.Builder b =
        KmsHost.builder().clock(java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC));
    KmsHost first = b.build();
    KmsHost second = b.build();

    first.rpcHandler().answer(call(base(cmid(1), 25)), PEER).join();
    first.rpcHandler().answer(call(base(cmid(2), 25)), PEER).join();

    assertEquals(2, first.currentCount(WINDOWS, NOW));
    assertEquals(0, second.currentCount(WINDOWS, NOW), "the second host shares no ledger");
    assertNotEquals(first.identity(), second.identity(), "each generated its own identity");
    assertEquals(first.settings(), second.settings());
  }

  @Test
  void setTwice_failsNamingTheSettingAndItsValue() {
    List<Consumer<KmsHost.Builder>> twice =
        List.of(
            b -> b.renewalInterval(Duration.ofDays(7)).renewalInterval(Duration.ofDays(1)),
            b -> b.activationInterval(Duration.ofHours(2)).activationInterval(Duration.ofHours(1)),
            b -> b.lcid(1033).lcid(1031),
            b -> b.hostKeyGroups(List.of("office-2010")).hostKeyGroups(List.of("office-2013")),
            b -> b.maxClockSkew(Duration.ofHours(4)).disableClockCheck(),
            b -> b.store(new InMemoryHostStore()).store(new InMemoryHostStore()));
    List<String> names =
        List.of(
            "renewalInterval was already set to PT168H",
            "activationInterval was already set to PT2H",
            "lcid was already set to 1033",
            "hostKeyGroups was already set to [office-2010]",
            "maxClockSkew was already set to Optional[PT4H]",
            "store was already set to an in-memory store");
    for (int i = 0; i < twice.size(); i++) {
      Consumer<KmsHost.Builder> c = twice.get(i);
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> c.accept(KmsHost.builder()));
      assertEquals(names.get(i), e.getMessage());
    }
  }

  @Test
  void build_aStoreLoadedByTheFirstHost_secondBuildFailsClearly(@TempDir Path dir) {
    KmsHost.Builder b = KmsHost.builder().store(FileHostStore.builder().directory(dir).build());
    KmsHost first = b.build();
    IllegalStateException e = assertThrows(IllegalStateException.class, b::build);
    assertTrue(e.getMessage().contains("already loaded"), e.getMessage());
    first.close();
  }

  @Test
  void server_builtTwice_independent_andLaterSettingsNeverReachABuiltServer() {
    KmsHost host = KmsHost.builder().build();
    KmsServer.Builder b =
        KmsServer.builder(host.rpcHandler())
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .daemon(true);
    try (KmsServer one = b.build().start();
        KmsServer two = b.build().start()) {
      assertNotEquals(one.port(), two.port());
      b.idleTimeout(Duration.ofSeconds(1));
      assertEquals(Duration.ofSeconds(30), one.settings().idleTimeout());
      assertEquals(Duration.ofSeconds(1), b.build().settings().idleTimeout());
    }
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> b.idleTimeout(Duration.ofSeconds(2)));
    assertEquals("idleTimeout was already set to PT1S", e.getMessage());
  }

  @Test
  void fileStore_setTwice_failsNamingIt(@TempDir Path dir) {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> FileHostStore.builder().directory(dir).directory(dir.resolve("x")));
    assertTrue(e.getMessage().startsWith("directory was already set to "), e.getMessage());
  }
}
