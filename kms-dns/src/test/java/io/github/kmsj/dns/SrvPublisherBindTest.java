package io.github.kmsj.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.client.HostCandidate;
import io.github.kmsj.core.client.LocatedHosts;
import io.github.kmsj.core.time.ManualScheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.xbill.DNS.TSIG;

/** {@link SrvPublisher} against the real BIND test server; see {@link TestDnsServer}. */
@EnabledIfEnvironmentVariable(named = "DNS_PORT", matches = "\\d+")
final class SrvPublisherBindTest {

  private final List<PublishEvent> events = new ArrayList<>();

  @BeforeEach
  void clearRecords() {
    TestDnsServer.clearSrv("corp.test", "corp.test");
    TestDnsServer.clearSrv("corp.test", "multi.corp.test");
    TestDnsServer.clearSrv("corp.test", "extra.corp.test");
    TestDnsServer.clearSrv("branch.corp.test", "branch.corp.test");
    TestDnsServer.clearSrv("open.test", "open.test");
  }

  private SrvPublisher.Builder publisher(String hostName) {
    return SrvPublisher.builder()
        .hostName(hostName)
        .server(TestDnsServer.address())
        .timeout(TestDnsServer.TIMEOUT)
        .listener(events::add);
  }

  private SrvPublisher.Builder signedPublisher(String hostName) {
    return publisher(hostName).tsigKey(TestDnsServer.keyName(), TestDnsServer.secret());
  }

  private static PublishEvent.Failed failed(PublishEvent event) {
    return assertInstanceOf(PublishEvent.Failed.class, event, event::toString);
  }

  private static PublishEvent.Published published(PublishEvent event) {
    return assertInstanceOf(PublishEvent.Published.class, event, event::toString);
  }

  @Test
  void publishNow_signedInCorpTest_publishedAndDiscoverable() {
    List<PublishEvent> result =
        signedPublisher("kms1.corp.test").ttl(Duration.ofMinutes(10)).build().publishNow();

    PublishEvent.Published p = published(result.get(0));
    assertEquals("corp.test.", p.zone());
    assertEquals("_vlmcs._tcp.corp.test.", p.recordName());
    assertEquals("kms1.corp.test.", p.target());
    assertEquals(Duration.ofMinutes(10), p.ttl());
    assertEquals(result, events);
    assertEquals(List.of("0 0 1688 kms1.corp.test."), TestDnsServer.readSrv("corp.test"));

    LocatedHosts found =
        SrvLocator.builder()
            .resolver(TestDnsServer.resolver())
            .random(new SplittableRandom(1))
            .build()
            .locate("corp.test");
    assertEquals(List.of(new HostCandidate("kms1.corp.test", 1688, 0, 0)), found.candidates());
  }

  @Test
  void publishNow_otherHostsAndOwnOldRecord_replacesOwnKeepsOthers() {
    TestDnsServer.addSrv("corp.test", "corp.test", 5, 5, 1688, "kms2.corp.test");
    TestDnsServer.addSrv("corp.test", "corp.test", 9, 9, 1700, "kms1.corp.test");

    PublishEvent.Published p =
        published(
            signedPublisher("kms1.corp.test")
                .priority(1)
                .weight(2)
                .port(1689)
                .build()
                .publishNow()
                .get(0));

    assertEquals(1, p.replaced());
    List<String> records = TestDnsServer.readSrv("corp.test");
    assertEquals(2, records.size(), records::toString);
    assertTrue(records.contains("5 5 1688 kms2.corp.test."), records::toString);
    assertTrue(records.contains("1 2 1689 kms1.corp.test."), records::toString);
  }

  @Test
  void publishNow_twice_oneRecordRefreshed() {
    SrvPublisher publisher = signedPublisher("kms1.corp.test").build();
    publisher.publishNow();
    PublishEvent.Published second = published(publisher.publishNow().get(0));
    assertEquals(1, second.replaced());
    assertEquals(List.of("0 0 1688 kms1.corp.test."), TestDnsServer.readSrv("corp.test"));
  }

  @Test
  void publishNow_unsignedToSignedZone_refusedAndNothingAdded() {
    PublishEvent.Failed f = failed(publisher("kms1.corp.test").build().publishNow().get(0));
    assertEquals(PublishFailure.REFUSED, f.reason());
    assertEquals(PublishEvent.Operation.PUBLISH, f.operation());
    assertEquals(Optional.of("corp.test."), f.zone());
    assertTrue(f.detail().contains("REFUSED"), f.detail());
    assertEquals(List.of(), TestDnsServer.readSrv("corp.test"));
  }

  @Test
  void publishNow_wrongSecret_badSignature() {
    String wrong = Base64.getEncoder().encodeToString(new byte[32]);
    PublishEvent.Failed f =
        failed(
            publisher("kms1.corp.test")
                .tsigKey(TestDnsServer.keyName(), wrong)
                .build()
                .publishNow()
                .get(0));
    assertEquals(PublishFailure.BAD_SIGNATURE, f.reason(), f.detail());
    assertTrue(f.detail().contains("NOTAUTH") && f.detail().contains("BADSIG"), f.detail());
    assertFalse(f.detail().contains(wrong));
    assertEquals(List.of(), TestDnsServer.readSrv("corp.test"));
  }

  @Test
  void publishNow_unknownKeyName_badKey() {
    PublishEvent.Failed f =
        failed(
            publisher("kms1.corp.test")
                .tsigKey("no-such-key", TestDnsServer.secret())
                .build()
                .publishNow()
                .get(0));
    assertEquals(PublishFailure.BAD_KEY, f.reason(), f.detail());
  }

  @Test
  void publishNow_clockTenMinutesAhead_badTime() {
    byte[] secret = Base64.getDecoder().decode(TestDnsServer.secret());
    TSIG skewed =
        new TSIG(
            TSIG.HMAC_SHA256,
            DnsNames.absolute(TestDnsServer.keyName(), "key"),
            new SecretKeySpec(secret, "HmacSHA256"),
            Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10)));
    PublishEvent.Failed f =
        failed(publisher("kms1.corp.test").tsig(skewed).build().publishNow().get(0));
    assertEquals(PublishFailure.BAD_TIME, f.reason(), f.detail());
  }

  @Test
  void removeNow_afterPublish_ownRecordGoneOthersKept() {
    TestDnsServer.addSrv("corp.test", "corp.test", 5, 5, 1688, "kms2.corp.test");
    SrvPublisher publisher = signedPublisher("kms1.corp.test").build();
    published(publisher.publishNow().get(0));

    PublishEvent.Removed r =
        assertInstanceOf(PublishEvent.Removed.class, publisher.removeNow().get(0));

    assertEquals(1, r.removed());
    assertEquals(List.of("5 5 1688 kms2.corp.test."), TestDnsServer.readSrv("corp.test"));
    PublishEvent.Removed again =
        assertInstanceOf(PublishEvent.Removed.class, publisher.removeNow().get(0));
    assertEquals(0, again.removed());
  }

  @Test
  void publishNow_branchDomain_updatesDelegatedZoneWhichServesIt() {
    PublishEvent.Published p =
        published(signedPublisher("kms-br.branch.corp.test").build().publishNow().get(0));

    assertEquals("branch.corp.test.", p.zone());
    assertEquals("branch.corp.test.", TestDnsServer.authorityZone("branch.corp.test"));
    assertEquals(
        List.of("0 0 1688 kms-br.branch.corp.test."), TestDnsServer.readSrv("branch.corp.test"));
  }

  @Test
  void publishNow_homeAndExtraDomains_eachWithItsPriorityAndWeight() {
    List<PublishEvent> result =
        signedPublisher("kms1.corp.test")
            .homeDomain("multi.corp.test")
            .priority(0)
            .weight(10)
            .extraDomain("extra.corp.test", 5, 20)
            .extraDomain("branch.corp.test.", 10, 30)
            .build()
            .publishNow();

    assertEquals(3, result.size());
    assertEquals(
        List.of("corp.test.", "corp.test.", "branch.corp.test."),
        result.stream().map(e -> published(e).zone()).toList());
    assertEquals(List.of("0 10 1688 kms1.corp.test."), TestDnsServer.readSrv("multi.corp.test"));
    assertEquals(List.of("5 20 1688 kms1.corp.test."), TestDnsServer.readSrv("extra.corp.test"));
    assertEquals(List.of("10 30 1688 kms1.corp.test."), TestDnsServer.readSrv("branch.corp.test"));
  }

  @Test
  void publishNow_openZoneUnsigned_published() {
    PublishEvent.Published p = published(publisher("kms.open.test").build().publishNow().get(0));
    assertEquals("open.test.", p.zone());
    assertEquals(List.of("0 0 1688 kms.open.test."), TestDnsServer.readSrv("open.test"));
  }

  @Test
  void publishNow_domainNotServed_zoneNotFound() {
    PublishEvent.Failed f =
        failed(
            signedPublisher("kms1.corp.test")
                .homeDomain("elsewhere.example")
                .build()
                .publishNow()
                .get(0));
    assertEquals(PublishFailure.ZONE_NOT_FOUND, f.reason(), f.detail());
    assertEquals(Optional.empty(), f.zone());
  }

  @Test
  void start_manualScheduler_eachRunRepublishes() {
    ManualScheduler scheduler = new ManualScheduler(Instant.parse("2025-01-15T10:00:00Z"));
    SrvPublisher publisher =
        signedPublisher("kms1.corp.test").scheduler(scheduler).runs(Runnable::run).build();

    publisher.start();
    scheduler.advance(Duration.ZERO);
    scheduler.advance(SrvPublisher.DEFAULT_INTERVAL);
    scheduler.advance(SrvPublisher.DEFAULT_INTERVAL);
    publisher.close();

    assertEquals(3, events.size());
    assertEquals(0, published(events.get(0)).replaced());
    assertEquals(1, published(events.get(1)).replaced());
    assertEquals(1, published(events.get(2)).replaced());
    assertEquals(0, scheduler.pending(), "close cancels the schedule");
    assertEquals(List.of("0 0 1688 kms1.corp.test."), TestDnsServer.readSrv("corp.test"));
  }

  @Test
  void start_systemScheduler_firstRunPublishesOnThePublishersThread() throws Exception {
    BlockingQueue<String> threads = new ArrayBlockingQueue<>(1);
    try (SrvPublisher publisher =
        signedPublisher("kms1.corp.test")
            .listener(
                e -> {
                  events.add(e);
                  threads.add(Thread.currentThread().getName());
                })
            .build()) {
      publisher.start();

      assertEquals("kmsj-srv-publisher", threads.poll(20, TimeUnit.SECONDS));
    }
    published(events.get(0));
    assertEquals(List.of("0 0 1688 kms1.corp.test."), TestDnsServer.readSrv("corp.test"));
  }
}
