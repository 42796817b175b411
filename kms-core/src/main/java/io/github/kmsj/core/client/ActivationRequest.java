package io.github.kmsj.core.client;

import io.github.kmsj.core.catalog.KmsCountedProduct;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.catalog.Sku;
import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.message.BaseRequest;
import io.github.kmsj.protocol.message.Filetime;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.KmsClientCodec;
import io.github.kmsj.protocol.message.KmsRequest;
import io.github.kmsj.protocol.message.LicenseStatus;
import io.github.kmsj.protocol.message.ProtocolVersion;
import io.github.kmsj.protocol.message.RequestV4;
import io.github.kmsj.protocol.message.RequestV5;
import io.github.kmsj.protocol.message.RequestV6;
import io.github.kmsj.protocol.message.UnsupportedRequest;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * What a client asks a KMS host: every field of the base request except the time and the salt,
 * which the client fills in when it sends (docs/PROTOCOL.md §5.2, §10).
 *
 * @param version the protocol version; 4.0, 5.0 and 6.0 are real, any other is sent as vlmcs {@code
 *     -K} does (a V6-shaped message with that version word) so that a host's refusal can be tested
 * @param applicationId Windows, Office 2010 or Office 2013+
 * @param skuId the activation ID of the installed edition
 * @param kmsCountedId the product group the host counts and licenses
 * @param cmid the client machine ID
 * @param requiredClientCount the N policy, a u32 (a real client sends 25 or 5; a host refuses above
 *     1000)
 * @param licenseStatus the licence state the client reports
 * @param bindingExpiration minutes left in the current state, a u32 (vlmcs sends 43200)
 * @param workstationName the machine's name, at most 63 UTF-16 code units
 * @param isClientVm whether the client runs in a virtual machine
 * @param previousCmid the CMID before it last changed, {@link Guid#ZERO} when it never did
 */
public record ActivationRequest(
    ProtocolVersion version,
    Guid applicationId,
    Guid skuId,
    Guid kmsCountedId,
    Guid cmid,
    int requiredClientCount,
    LicenseStatus licenseStatus,
    int bindingExpiration,
    String workstationName,
    boolean isClientVm,
    Guid previousCmid) {

  /** The workstation name sent unless one is set. */
  public static final String DEFAULT_WORKSTATION_NAME = "kmsj-client";

  /** The {@code bindingExpiration} vlmcs and py-kms send: 43200 minutes, the 30-day grace. */
  public static final int DEFAULT_BINDING_EXPIRATION = 43_200;

  /** Null checks; the workstation name must fit the 64-unit field with its NUL. */
  public ActivationRequest {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(skuId, "skuId");
    Objects.requireNonNull(kmsCountedId, "kmsCountedId");
    Objects.requireNonNull(cmid, "cmid");
    Objects.requireNonNull(licenseStatus, "licenseStatus");
    Objects.requireNonNull(workstationName, "workstationName");
    Objects.requireNonNull(previousCmid, "previousCmid");
    if (workstationName.length() > BaseRequest.MAX_WORKSTATION_NAME
        || workstationName.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "workstationName must be at most 63 UTF-16 code units without NUL: '"
              + workstationName
              + "'");
    }
  }

  /** A builder with the defaults vlmcs uses: V6, N 25, OOB grace, 43200 minutes, not a VM. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder preset for a catalog product: its application, N policy and protocol version, and the
   * first of its SKUs (by activation ID) when the catalog lists one, else the KMS counted ID as
   * SKU.
   */
  public static Builder forProduct(ProductCatalog catalog, KmsCountedProduct product) {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(product, "product");
    Guid sku =
        catalog.skus().stream()
            .filter(s -> s.kmsCountedId().equals(product.id()))
            .map(Sku::skuId)
            .min(Comparator.comparing(Guid::toString))
            .orElse(product.id());
    return builder()
        .version(new ProtocolVersion(product.protocolMajorVersion(), 0))
        .applicationId(product.applicationId())
        .skuId(sku)
        .kmsCountedId(product.id())
        .requiredClientCount(product.requiredClientCount());
  }

  /**
   * A builder preset for an edition: its SKU, and the application, N policy and protocol version of
   * its KMS counted product.
   *
   * @throws IllegalArgumentException when the catalog does not know the SKU's KMS counted ID
   */
  public static Builder forProduct(ProductCatalog catalog, Sku sku) {
    Objects.requireNonNull(sku, "sku");
    KmsCountedProduct product =
        catalog
            .kmsCountedId(sku.kmsCountedId())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "the catalog has no KMS counted ID "
                            + sku.kmsCountedId()
                            + " for SKU "
                            + sku.name()));
    return forProduct(catalog, product).skuId(sku.skuId());
  }

  /**
   * This request with another licence state and binding expiration, as a lifecycle reports them.
   */
  public ActivationRequest withStatus(LicenseStatus status, int bindingExpirationMinutes) {
    return new ActivationRequest(
        version,
        applicationId,
        skuId,
        kmsCountedId,
        cmid,
        requiredClientCount,
        status,
        bindingExpirationMinutes,
        workstationName,
        isClientVm,
        previousCmid);
  }

  /**
   * The KMS request sent at {@code requestTime} with {@code salt} (ignored by V4).
   *
   * @param salt 16 bytes
   */
  public KmsRequest toKmsRequest(Instant requestTime, Bytes salt) {
    Objects.requireNonNull(salt, "salt");
    ProtocolVersion wireVersion = version.isSupported() ? version : ProtocolVersion.V6;
    BaseRequest base =
        new BaseRequest(
            wireVersion,
            isClientVm ? 1 : 0,
            licenseStatus,
            bindingExpiration,
            applicationId,
            skuId,
            kmsCountedId,
            cmid,
            requiredClientCount,
            Filetime.of(requestTime),
            previousCmid,
            workstationName);
    if (version.equals(ProtocolVersion.V4)) {
      return new RequestV4(base);
    }
    if (version.equals(ProtocolVersion.V5)) {
      return new RequestV5(base, salt);
    }
    RequestV6 v6 = new RequestV6(base, salt);
    if (version.isSupported()) {
      return v6;
    }
    byte[] message = KmsClientCodec.encodeRequest(v6).bytes();
    int word = version.toWire();
    message[0] = (byte) word;
    message[1] = (byte) (word >>> 8);
    message[2] = (byte) (word >>> 16);
    message[3] = (byte) (word >>> 24);
    return new UnsupportedRequest(version, Bytes.of(message));
  }

  /** Settings of an {@link ActivationRequest}, validated in {@link #build()}. */
  public static final class Builder {
    private ProtocolVersion version = ProtocolVersion.V6;
    private Guid applicationId;
    private Guid skuId;
    private Guid kmsCountedId;
    private Guid cmid;
    private int requiredClientCount = 25;
    private LicenseStatus licenseStatus = LicenseStatus.OOB_GRACE;
    private int bindingExpiration = DEFAULT_BINDING_EXPIRATION;
    private String workstationName = DEFAULT_WORKSTATION_NAME;
    private boolean isClientVm;
    private Guid previousCmid = Guid.ZERO;

    private Builder() {}

    /** The protocol version; default 6.0. */
    public Builder version(ProtocolVersion version) {
      this.version = Objects.requireNonNull(version, "version");
      return this;
    }

    /** The protocol major version with minor 0, for example 6 (any 0-65535; 4-6 are supported). */
    public Builder version(int major) {
      return version(new ProtocolVersion(major, 0));
    }

    /** The application ID (required). */
    public Builder applicationId(Guid applicationId) {
      this.applicationId = Objects.requireNonNull(applicationId, "applicationId");
      return this;
    }

    /** The SKU (activation) ID (required). */
    public Builder skuId(Guid skuId) {
      this.skuId = Objects.requireNonNull(skuId, "skuId");
      return this;
    }

    /** The KMS counted ID (required). */
    public Builder kmsCountedId(Guid kmsCountedId) {
      this.kmsCountedId = Objects.requireNonNull(kmsCountedId, "kmsCountedId");
      return this;
    }

    /** The client machine ID (required; see {@link #randomCmid}). */
    public Builder cmid(Guid cmid) {
      this.cmid = Objects.requireNonNull(cmid, "cmid");
      return this;
    }

    /** A random version-4 client machine ID drawn from {@code random}, as Windows generates one. */
    public Builder randomCmid(RandomGenerator random) {
      long msb = (random.nextLong() & ~0xf000L) | 0x4000L;
      long lsb = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
      return cmid(Guid.of(new UUID(msb, lsb)));
    }

    /** The N policy; default 25 (a Windows client). */
    public Builder requiredClientCount(int n) {
      this.requiredClientCount = n;
      return this;
    }

    /** The licence state reported; default OOB grace (2). */
    public Builder licenseStatus(LicenseStatus status) {
      this.licenseStatus = Objects.requireNonNull(status, "licenseStatus");
      return this;
    }

    /** Minutes left in the current state; default 43200. */
    public Builder bindingExpiration(int minutes) {
      this.bindingExpiration = minutes;
      return this;
    }

    /** The workstation name; default {@value ActivationRequest#DEFAULT_WORKSTATION_NAME}. */
    public Builder workstationName(String name) {
      this.workstationName = Objects.requireNonNull(name, "workstationName");
      return this;
    }

    /** Whether the client is a virtual machine; default false. */
    public Builder isClientVm(boolean vm) {
      this.isClientVm = vm;
      return this;
    }

    /** The previous client machine ID; default {@link Guid#ZERO}. */
    public Builder previousCmid(Guid previousCmid) {
      this.previousCmid = Objects.requireNonNull(previousCmid, "previousCmid");
      return this;
    }

    /**
     * The request.
     *
     * @throws IllegalStateException when the application, SKU, KMS counted ID or CMID is missing
     */
    public ActivationRequest build() {
      require(applicationId, "applicationId");
      require(skuId, "skuId");
      require(kmsCountedId, "kmsCountedId");
      if (cmid == null) {
        throw new IllegalStateException("cmid must be set: cmid(...) or randomCmid(random)");
      }
      return new ActivationRequest(
          version,
          applicationId,
          skuId,
          kmsCountedId,
          cmid,
          requiredClientCount,
          licenseStatus,
          bindingExpiration,
          workstationName,
          isClientVm,
          previousCmid);
    }

    private static void require(Object value, String name) {
      if (value == null) {
        throw new IllegalStateException(name + " must be set");
      }
    }
  }
}
