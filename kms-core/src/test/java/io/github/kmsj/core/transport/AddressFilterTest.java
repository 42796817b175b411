package io.github.kmsj.core.transport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

final class AddressFilterTest {
  private final AddressFilter local = AddressFilter.localNetworks();

  @Test
  void localNetworks_admitsLoopbackPrivateLinkLocalAndUniqueLocal() throws Exception {
    for (String a :
        List.of(
            "127.0.0.1",
            "127.9.9.9",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.3.4",
            "::1",
            "fe80::1",
            "fd12:3456::1",
            "::ffff:192.168.0.7")) {
      assertTrue(local.admits(InetAddress.getByName(a)), a);
    }
  }

  @Test
  void localNetworks_refusesPublicAddresses() throws Exception {
    for (String a :
        List.of(
            "8.8.8.8",
            "172.32.0.1",
            "192.169.0.1",
            "2001:db8::1",
            "::ffff:8.8.8.8",
            "100.64.0.1")) {
      assertFalse(local.admits(InetAddress.getByName(a)), a);
    }
  }

  @Test
  void of_customBlocks_matchPrefixBits() throws Exception {
    AddressFilter f =
        AddressFilter.of(List.of("192.0.2.128/25", "2001:db8:abcd::/48", "198.51.100.7"));
    assertTrue(f.admits(InetAddress.getByName("192.0.2.200")));
    assertFalse(f.admits(InetAddress.getByName("192.0.2.100")));
    assertTrue(f.admits(InetAddress.getByName("2001:db8:abcd:1::5")));
    assertTrue(f.admits(InetAddress.getByName("198.51.100.7")));
    assertFalse(f.admits(InetAddress.getByName("198.51.100.8")));
  }

  @Test
  void of_badBlock_namesIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> AddressFilter.of(List.of("10.0.0.0/33")));
    assertTrue(e.getMessage().contains("10.0.0.0/33"));
    assertThrows(IllegalArgumentException.class, () -> AddressFilter.of(List.of("example.com")));
  }
}
