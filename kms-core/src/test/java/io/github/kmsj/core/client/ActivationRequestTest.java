package io.github.kmsj.core.client;

import static io.github.kmsj.core.client.ClientFixtures.CATALOG;
import static io.github.kmsj.core.client.ClientFixtures.SERVER_2019;
import static io.github.kmsj.core.client.ClientFixtures.T0;
import static io.github.kmsj.core.client.ClientFixtures.WINDOWS_10;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.kmsj.core.catalog.Sku;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.message.DecodedRequest;
import io.github.kmsj.protocol.message.Filetime;
import io.github.kmsj.protocol.message.HResult;
import io.github.kmsj.protocol.message.KmsClientCodec;
import io.github.kmsj.protocol.message.KmsHostCodec;
import io.github.kmsj.protocol.message.ProtocolVersion;
import io.github.kmsj.protocol.message.RequestV4;
import io.github.kmsj.protocol.message.UnsupportedRequest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

final class ActivationRequestTest {
  private static final Bytes SALT = Bytes.fromHex("00112233445566778899aabbccddeeff");

  @Test
  void forProduct_windowsClient_usesItsApplicationPolicyAndVersion() {
    ActivationRequest r =
        ActivationRequest.forProduct(CATALOG, WINDOWS_10).cmid(ClientFixtures.cmid(1)).build();

    assertEquals(WINDOWS_10.applicationId(), r.applicationId());
    assertEquals(WINDOWS_10.id(), r.kmsCountedId());
    assertEquals(25, r.requiredClientCount());
    assertEquals(new ProtocolVersion(WINDOWS_10.protocolMajorVersion(), 0), r.version());
    assertEquals(WINDOWS_10.id(), CATALOG.sku(r.skuId()).orElseThrow().kmsCountedId());
  }

  @Test
  void forProduct_sku_keepsTheSkuAndTakesItsProductsPolicy() {
    Sku sku =
        CATALOG.skus().stream()
            .filter(s -> s.kmsCountedId().equals(SERVER_2019.id()))
            .findFirst()
            .orElseThrow();

    ActivationRequest r =
        ActivationRequest.forProduct(CATALOG, sku).cmid(ClientFixtures.cmid(1)).build();

    assertEquals(sku.skuId(), r.skuId());
    assertEquals(5, r.requiredClientCount());
  }

  @Test
  void build_withoutCmid_throwsNamingIt() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> ActivationRequest.forProduct(CATALOG, WINDOWS_10).build());
    assertEquals("cmid must be set: cmid(...) or randomCmid(random)", e.getMessage());
  }

  @Test
  void randomCmid_isAVersion4Guid() {
    ActivationRequest r =
        ActivationRequest.forProduct(CATALOG, WINDOWS_10)
            .randomCmid(new SplittableRandom(3))
            .build();
    assertEquals(4, r.cmid().version());
  }

  @Test
  void workstationName_over63Units_throws() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ActivationRequest.forProduct(CATALOG, WINDOWS_10)
                .cmid(ClientFixtures.cmid(1))
                .workstationName("w".repeat(64))
                .build());
  }

  @Test
  void toKmsRequest_v4_carriesTimeAndFields() {
    ActivationRequest r = ClientFixtures.request(WINDOWS_10, 4, 1);

    RequestV4 v4 = assertInstanceOf(RequestV4.class, r.toKmsRequest(T0, SALT));

    assertEquals(Filetime.of(T0), v4.base().requestTime());
    assertEquals(r.cmid(), v4.base().cmid());
    assertEquals(43_200, v4.base().bindingExpiration());
  }

  @Test
  void toKmsRequest_version7_isAV6ShapedMessageTheHostRefusesWithInvalidData() {
    ActivationRequest r = ClientFixtures.request(WINDOWS_10, 7, 1);

    UnsupportedRequest u = assertInstanceOf(UnsupportedRequest.class, r.toKmsRequest(T0, SALT));
    byte[] bytes = KmsClientCodec.encodeRequest(u).bytes();
    DecodedRequest decoded = KmsHostCodec.decodeRequest(bytes);

    assertEquals(260, bytes.length);
    assertEquals(new ProtocolVersion(7, 0), decoded.request().version());
    assertEquals(
        HResult.INVALID_DATA,
        KmsHost.builder()
            .clock(Clock.fixed(T0, ZoneOffset.UTC))
            .build()
            .handle(decoded, T0)
            .hresult());
  }

  @Test
  void inProcess_sameAnswerAsTheWire_belowThresholdThenRefusedWhenSkewed() {
    KmsHost host = KmsHost.builder().clock(Clock.fixed(T0, ZoneOffset.UTC)).build();
    SplittableRandom random = new SplittableRandom(5);

    ActivationResult first =
        InProcessActivation.activate(host, ClientFixtures.request(WINDOWS_10, 1), T0, random);
    ActivationResult skewed =
        InProcessActivation.activate(
            host, ClientFixtures.request(WINDOWS_10, 2), T0.plusSeconds(5 * 3600), T0, random);

    assertEquals(
        1, assertInstanceOf(ActivationResult.BelowThreshold.class, first).currentClientCount());
    assertEquals(
        HResult.INVALID_TIMESTAMP,
        assertInstanceOf(ActivationResult.Refused.class, skewed).hresult());
  }
}
