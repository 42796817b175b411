package io.github.kmsj.core.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

final class AddressCountsTest {

  @Test
  void acquire_upToTheLimit_thenRefused_releaseFreesAndForgets() throws Exception {
    AddressCounts counts = new AddressCounts(2, true);
    InetAddress a = InetAddress.getByName("192.0.2.7");
    InetAddress k1 = counts.acquire(a);
    InetAddress k2 = counts.acquire(a);
    assertNotNull(k1);
    assertNotNull(k2);
    assertNull(counts.acquire(a), "third from one address");
    assertNotNull(counts.acquire(InetAddress.getByName("192.0.2.8")), "another address");
    counts.release(k1);
    assertNotNull(counts.acquire(a), "a released slot is free again");
    counts.release(k1);
    counts.release(k2);
    assertEquals(1, counts.sources(), "an address without connections is forgotten");
  }

  @Test
  void acquire_ipv6_countsPerSlash64() throws Exception {
    AddressCounts counts = new AddressCounts(1, true);
    assertNotNull(counts.acquire(InetAddress.getByName("2001:db8:1:2::1")));
    assertNull(
        counts.acquire(InetAddress.getByName("2001:db8:1:2:ffff::9")), "same /64, other host");
    assertNotNull(counts.acquire(InetAddress.getByName("2001:db8:1:3::1")), "the next /64");
  }

  @Test
  void acquire_loopback_exemptUnlessTurnedOff() throws Exception {
    InetAddress lo = InetAddress.getByName("127.0.0.2");
    AddressCounts exempt = new AddressCounts(1, true);
    assertSame(AddressCounts.EXEMPT, exempt.acquire(lo));
    assertSame(AddressCounts.EXEMPT, exempt.acquire(lo));
    assertEquals(0, exempt.sources());
    AddressCounts counted = new AddressCounts(1, false);
    assertNotNull(counted.acquire(lo));
    assertNull(counted.acquire(lo));
  }
}
