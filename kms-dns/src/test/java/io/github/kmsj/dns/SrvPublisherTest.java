package io.github.kmsj.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.time.ManualScheduler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** {@link SrvPublisher} with an in-memory zone behind a {@link FakeResolver}. */
final class SrvPublisherTest {

  private static final String SECRET = Base64.getEncoder().encodeToString(new byte[32]);
  private static final Instant T0 = Instant.parse("2025-01-15T10:00:00Z");
  private static final Duration DAY = Duration.ofHours(24);

  private final FakeResolver dns = new FakeResolver();
  private final List<SRVRecord> zone = new ArrayList<>();
  private final List<PublishEvent> events = new ArrayList<>();

  SrvPublisherTest() {
    // corp.test. is the zone; any SOA question below it is a negative answer naming it.
    Name apex = FakeResolver.name("corp.test");
    SOARecord soa =
        new SOARecord(
            apex,
            DClass.IN,
            300,
            FakeResolver.name("ns.corp.test"),
            FakeResolver.name("hostmaster.corp.test"),
            1,
            3600,
            600,
            86400,
            300);
    dns.on(
        "_vlmcs._tcp.corp.test",
        Type.SOA,
        q -> {
          Message m = FakeResolver.reply(q, Rcode.NXDOMAIN);
          m.addRecord(soa, Section.AUTHORITY);
          return m;
        });
    dns.on(
        "_vlmcs._tcp.corp.test",
        Type.SRV,
        q -> {
          Message m = FakeResolver.reply(q, Rcode.NOERROR);
          zone.forEach(r -> m.addRecord(r, Section.ANSWER));
          return m;
        });
  }

  /** Applies an update's deletes (class NONE) and adds to {@link #zone}, answering NOERROR. */
  private Message applyUpdate(Message update) {
    for (Record r : update.getSection(Section.UPDATE)) {
      if (r.getDClass() == DClass.NONE) {
        zone.removeIf(z -> z.rdataToString().equals(r.rdataToString()));
      } else {
        zone.add((SRVRecord) r);
      }
    }
    return FakeResolver.reply(update, Rcode.NOERROR);
  }

  private SrvPublisher.Builder publisher() {
    return SrvPublisher.builder()
        .hostName("kms1.corp.test")
        .listener(events::add)
        .resolverFactory(key -> dns);
  }

  private Message lastUpdate() {
    Message last = null;
    for (Message m : dns.sent) {
      if (m.getHeader().getOpcode() == Opcode.UPDATE) {
        last = m;
      }
    }
    return last;
  }

  @Test
  void publishNow_relativeHostName_rdataTargetAbsoluteNotCompletedWithZone() {
    dns.onUpdate(this::applyUpdate);
    publisher().build().publishNow();

    Message update = lastUpdate();
    assertEquals("corp.test.", update.getSection(Section.ZONE).get(0).getName().toString());
    SRVRecord added = (SRVRecord) update.getSection(Section.UPDATE).get(0);
    assertEquals("kms1.corp.test.", added.getTarget().toString());
    assertEquals("_vlmcs._tcp.corp.test.", added.getName().toString());
  }

  @Test
  void publishNow_otherHostsRecords_onlyOwnDeleted() {
    zone.add(FakeResolver.srv("_vlmcs._tcp.corp.test", 5, 5, 1688, "kms2.corp.test"));
    zone.add(FakeResolver.srv("_vlmcs._tcp.corp.test", 9, 9, 1700, "kms1.corp.test"));
    dns.onUpdate(this::applyUpdate);

    PublishEvent.Published p =
        assertInstanceOf(PublishEvent.Published.class, publisher().build().publishNow().get(0));

    assertEquals(1, p.replaced());
    List<Record> changes = lastUpdate().getSection(Section.UPDATE);
    assertEquals(2, changes.size());
    assertEquals(DClass.NONE, changes.get(0).getDClass());
    assertEquals("9 9 1700 kms1.corp.test.", changes.get(0).rdataToString());
    assertEquals(
        List.of("5 5 1688 kms2.corp.test.", "0 0 1688 kms1.corp.test."),
        zone.stream().map(Record::rdataToString).toList());
  }

  @Test
  void tsigKey_secretNotBase64_refusedAtOnceWithoutTheSecret() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> publisher().tsigKey("k", "not*base64!secret"));
    assertTrue(e.getMessage().contains("is not base64"), e.getMessage());
    assertFalse(e.getMessage().contains("not*base64!secret"), "the secret is never printed");
    assertThrows(IllegalArgumentException.class, () -> publisher().tsigKey("k", ""));
  }

  @Test
  void publishNow_signedButReplyUnsigned_unverifiedResponse() {
    dns.onUpdate(this::applyUpdate);
    PublishEvent.Failed f =
        assertInstanceOf(
            PublishEvent.Failed.class,
            publisher().tsigKey("k", SECRET).build().publishNow().get(0));
    assertEquals(PublishFailure.UNVERIFIED_RESPONSE, f.reason());
    assertTrue(f.detail().contains("unsigned"), f.detail());
  }

  @Test
  void publishNow_updateIgnored_verificationMismatch() {
    dns.onUpdate(q -> FakeResolver.reply(q, Rcode.NOERROR));
    PublishEvent.Failed f =
        assertInstanceOf(PublishEvent.Failed.class, publisher().build().publishNow().get(0));
    assertEquals(PublishFailure.VERIFICATION_MISMATCH, f.reason());
  }

  @Test
  void publishNow_updateTimesOut_timeoutWithCause() {
    dns.onUpdate(q -> null);
    PublishEvent.Failed f =
        assertInstanceOf(PublishEvent.Failed.class, publisher().build().publishNow().get(0));
    assertEquals(PublishFailure.TIMEOUT, f.reason());
    assertTrue(f.cause().isPresent());
    assertEquals(List.of(f), events);
  }

  @Test
  void publishNow_notZoneAndServfail_mapped() {
    dns.onUpdate(q -> FakeResolver.reply(q, Rcode.NOTZONE));
    assertEquals(
        PublishFailure.NOT_ZONE,
        ((PublishEvent.Failed) publisher().build().publishNow().get(0)).reason());
    dns.onUpdate(q -> FakeResolver.reply(q, Rcode.SERVFAIL));
    assertEquals(
        PublishFailure.SERVER_ERROR,
        ((PublishEvent.Failed) publisher().build().publishNow().get(0)).reason());
  }

  @Test
  void publishNow_listenerThrows_publishingContinues() {
    dns.onUpdate(this::applyUpdate);
    SrvPublisher publisher =
        publisher()
            .listener(
                e -> {
                  throw new IllegalStateException("bad listener");
                })
            .extraDomain("corp.test.", 1, 1)
            .homeDomain("other.test")
            .build();
    assertEquals(2, publisher.publishNow().size());
  }

  @Test
  void removeNow_ownRecord_deletedAndCounted() {
    zone.add(FakeResolver.srv("_vlmcs._tcp.corp.test", 0, 0, 1688, "kms1.corp.test"));
    dns.onUpdate(this::applyUpdate);
    PublishEvent.Removed r =
        assertInstanceOf(PublishEvent.Removed.class, publisher().build().removeNow().get(0));
    assertEquals(1, r.removed());
    assertTrue(zone.isEmpty());
  }

  @Test
  void start_manualSchedulerThroughFourDays_republishesEvery24Hours() {
    ManualScheduler scheduler = new ManualScheduler(T0);
    List<Instant> updatedAt = new ArrayList<>();
    dns.onUpdate(
        u -> {
          updatedAt.add(scheduler.instant());
          return applyUpdate(u);
        });
    SrvPublisher publisher = publisher().scheduler(scheduler).runs(Runnable::run).build();

    publisher.start();
    scheduler.advance(Duration.ZERO);
    assertEquals(List.of(T0), updatedAt, "the first registration is immediate");
    for (int day = 1; day <= 4; day++) {
      scheduler.advance(DAY.minusNanos(1));
      assertEquals(day, updatedAt.size(), "nothing before " + day + " × 24 h");
      scheduler.advance(Duration.ofNanos(1));
      assertEquals(T0.plus(DAY.multipliedBy(day)), updatedAt.get(day));
    }

    assertEquals(5, events.size());
    assertEquals(0, published(events.get(0)).replaced());
    for (PublishEvent e : events.subList(1, 5)) {
      assertEquals(1, published(e).replaced(), "each re-registration replaces the record");
    }
    assertEquals(List.of("0 0 1688 kms1.corp.test."), zoneRdata());

    publisher.close();
    scheduler.advance(DAY.multipliedBy(3));
    assertEquals(5, updatedAt.size(), "no run after close");
    assertEquals(0, scheduler.pending());
  }

  @Test
  void start_customInterval_republishesAtThatInterval() {
    ManualScheduler scheduler = new ManualScheduler(T0);
    dns.onUpdate(this::applyUpdate);
    SrvPublisher publisher =
        publisher().interval(Duration.ofHours(6)).scheduler(scheduler).runs(Runnable::run).build();

    publisher.start();
    scheduler.advance(DAY);

    assertEquals(5, events.size(), "at 0, 6, 12, 18 and 24 h");
  }

  @Test
  void start_previousRunStillInProgress_thatTickIsSkipped() {
    ManualScheduler scheduler = new ManualScheduler(T0);
    dns.onUpdate(this::applyUpdate);
    List<Runnable> handedOff = new ArrayList<>();
    SrvPublisher publisher = publisher().scheduler(scheduler).runs(handedOff::add).build();

    publisher.start();
    scheduler.advance(DAY.multipliedBy(2));
    assertEquals(1, handedOff.size(), "the runs due at 24 h and 48 h find the first still going");

    handedOff.get(0).run();
    scheduler.advance(DAY);

    assertEquals(2, handedOff.size());
    assertEquals(1, events.size());
    publisher.close();
  }

  @Test
  void start_twiceOrAfterClose_throws() {
    ManualScheduler scheduler = new ManualScheduler(T0);
    SrvPublisher publisher = publisher().scheduler(scheduler).runs(Runnable::run).build();
    publisher.start();
    assertThrows(IllegalStateException.class, publisher::start);

    publisher.close();

    assertThrows(IllegalStateException.class, publisher::start);
    assertEquals(0, scheduler.pending());
  }

  @Test
  void removeNow_afterStart_stopsTheSchedule() {
    ManualScheduler scheduler = new ManualScheduler(T0);
    dns.onUpdate(this::applyUpdate);
    SrvPublisher publisher = publisher().scheduler(scheduler).runs(Runnable::run).build();
    publisher.start();
    scheduler.advance(Duration.ZERO);

    publisher.removeNow();
    scheduler.advance(DAY.multipliedBy(2));

    assertTrue(zone.isEmpty(), "the record does not come back");
    assertEquals(0, scheduler.pending());
  }

  @Test
  void start_publishFailsAtFirst_retriedWithBackOffNotAfter24Hours() {
    ManualScheduler scheduler = new ManualScheduler(T0);
    List<Instant> attempts = new ArrayList<>();
    int[] refuse = {3};
    dns.onUpdate(
        u -> {
          attempts.add(scheduler.instant());
          if (refuse[0]-- > 0) {
            return FakeResolver.reply(u, Rcode.REFUSED);
          }
          return applyUpdate(u);
        });
    SrvPublisher publisher = publisher().scheduler(scheduler).runs(Runnable::run).build();

    publisher.start();
    scheduler.advance(Duration.ZERO);
    assertEquals(1, publisher.state().consecutiveFailures());
    assertEquals(
        T0.plusSeconds(5), publisher.state().nextAttempt().orElseThrow(), "first retry in 5 s");
    assertFalse(publisher.state().lastResults().get(0).success());
    scheduler.advance(Duration.ofSeconds(5 + 10 + 20));

    assertEquals(
        List.of(T0, T0.plusSeconds(5), T0.plusSeconds(15), T0.plusSeconds(35)),
        attempts,
        "5 s, 10 s, 20 s apart");
    assertEquals(List.of("0 0 1688 kms1.corp.test."), zoneRdata());
    {
      var st = publisher.state();
      assertTrue(st.enabled());
      assertEquals(0, st.consecutiveFailures());
      assertTrue(st.lastResults().get(0).success(), st.toString());
      assertEquals(T0.plusSeconds(35).plus(DAY), st.nextAttempt().orElseThrow());
    }
    publisher.close();
  }

  @Test
  void backoff_manyFailures_cappedAtTenMinutes() {
    SrvPublisher publisher = publisher().build();
    assertEquals(Duration.ofSeconds(5), publisher.backoff(1));
    assertEquals(Duration.ofSeconds(40), publisher.backoff(4));
    assertEquals(Duration.ofMinutes(10), publisher.backoff(9));
    assertEquals(Duration.ofMinutes(10), publisher.backoff(1000));
  }

  @Test
  void setEnabledFalse_afterStart_removedAndNeverReRegistered() {
    ManualScheduler scheduler = new ManualScheduler(T0);
    dns.onUpdate(this::applyUpdate);
    SrvPublisher publisher = publisher().scheduler(scheduler).runs(Runnable::run).build();
    publisher.start();
    scheduler.advance(Duration.ZERO);
    assertEquals(1, zone.size());

    publisher.setEnabled(false);
    scheduler.advance(DAY.multipliedBy(3));

    assertTrue(zone.isEmpty(), "the removal sticks");
    assertFalse(publisher.state().enabled());
    assertTrue(publisher.state().nextAttempt().isEmpty());
    assertEquals("remove", publisher.state().lastResults().get(0).operation());

    publisher.setEnabled(true);
    assertEquals(List.of("0 0 1688 kms1.corp.test."), zoneRdata());
    publisher.close();
  }

  @Test
  void setEnabledFalse_removalFails_retriedUntilRemoved() {
    ManualScheduler scheduler = new ManualScheduler(T0);
    zone.add(FakeResolver.srv("_vlmcs._tcp.corp.test", 0, 0, 1688, "kms1.corp.test"));
    int[] refuse = {1};
    dns.onUpdate(u -> refuse[0]-- > 0 ? FakeResolver.reply(u, Rcode.SERVFAIL) : applyUpdate(u));
    SrvPublisher publisher = publisher().scheduler(scheduler).runs(Runnable::run).build();

    publisher.setEnabled(false);
    assertEquals(1, zone.size());
    scheduler.advance(Duration.ofSeconds(5));

    assertTrue(zone.isEmpty());
    assertEquals(0, scheduler.pending());
    publisher.close();
  }

  @Test
  void setPortPriorityWeightAndExtraDomains_whileEnabled_republishedAtOnce() {
    ManualScheduler scheduler = new ManualScheduler(T0);
    dns.onUpdate(this::applyUpdate);
    SrvPublisher publisher = publisher().scheduler(scheduler).runs(Runnable::run).build();
    publisher.start();
    scheduler.advance(Duration.ZERO);

    publisher.setPort(1700);
    publisher.setPriority(3);
    publisher.setWeight(7);

    assertEquals(List.of("3 7 1700 kms1.corp.test."), zoneRdata());
    assertEquals(1700, publisher.state().port());
    assertThrows(IllegalArgumentException.class, () -> publisher.setPort(0));
    assertThrows(IllegalArgumentException.class, () -> publisher.setWeight(70000));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            publisher.setExtraDomains(
                List.of(new io.github.kmsj.core.admin.DnsPublishing.Domain("corp.test.", 1, 1))));
    assertEquals(List.of("3 7 1700 kms1.corp.test."), zoneRdata());
    publisher.close();
  }

  private List<String> zoneRdata() {
    return zone.stream().map(Record::rdataToString).toList();
  }

  private static PublishEvent.Published published(PublishEvent e) {
    return assertInstanceOf(PublishEvent.Published.class, e, e::toString);
  }

  @Test
  void build_defaults_homeDomainFromHostName() {
    SrvPublisher p = publisher().build();
    assertEquals(List.of(new PublishDomain("corp.test.", 0, 0)), p.domains());
    assertEquals("kms1.corp.test.", p.target());
  }

  @Test
  void build_invalidSettings_rejectedWithArgumentName() {
    assertThrows(IllegalStateException.class, () -> SrvPublisher.builder().build());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> publisher().port(0).build());
    assertTrue(e.getMessage().startsWith("port"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> publisher().priority(70000).build());
    assertThrows(IllegalArgumentException.class, () -> publisher().hostName("kms1").build());
    assertThrows(
        IllegalArgumentException.class, () -> publisher().hostName("bad name.test").build());
    assertThrows(
        IllegalArgumentException.class, () -> publisher().extraDomain("corp.test", 0, 0).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> publisher().extraDomain("a.test", 0, 0).extraDomain("a.test.", 1, 1));
    assertThrows(
        IllegalArgumentException.class, () -> publisher().publishInHomeDomain(false).build());
    assertThrows(
        IllegalStateException.class, () -> publisher().tsigKey("k", SECRET).tsigKey("k", SECRET));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            publisher()
                .server(new InetSocketAddress("127.0.0.1", 53))
                .interval(java.time.Duration.ofSeconds(5))
                .build());
  }

  @Test
  void publishDomain_relativeName_madeAbsolute() {
    assertEquals("corp.test.", new PublishDomain("corp.test", 0, 0).domain());
    assertEquals("_vlmcs._tcp.corp.test.", new PublishDomain("corp.test.", 0, 0).recordName());
  }
}
