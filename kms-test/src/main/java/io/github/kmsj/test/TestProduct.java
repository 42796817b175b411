package io.github.kmsj.test;

import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.client.ActivationRequest;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.ProtocolVersion;
import java.util.Objects;

/**
 * Volume editions a test activates most often, with the IDs a real client of that edition sends,
 * taken from kms-core's {@linkplain ProductCatalog#builtIn() built-in catalog}. Every one is
 * covered by a host with the default host-key groups (Windows Server 2025 and every Office group).
 *
 * <p>Windows 10 and Windows 11 share their SKU and KMS counted IDs ("Windows 10/11 Pro" in the
 * catalog): the two constants differ only in name. For Windows Server 2025 and Office LTSC 2024 the
 * catalog files the SKUs under py-kms's synthetic placeholder KMS counted ID; these fixtures send
 * the corroborated ID instead ({@code 907f1f65-…}, {@code a8973cb5-…}), as a genuine client does. A
 * host decides on the KMS counted ID only (docs/PROTOCOL.md §9).
 */
public enum TestProduct {
  /** Windows 10 Pro (volume, GVLK W269N-…): N 25. */
  WINDOWS_10_PRO(
      "Windows 10 Pro",
      Ids.WINDOWS,
      "2de67392-b7a7-462a-b1ca-108dd189f588",
      "58e2134f-8e11-4d17-9cb2-91069c151148",
      25),
  /** Windows 11 Pro: the same IDs as {@link #WINDOWS_10_PRO}. N 25. */
  WINDOWS_11_PRO(
      "Windows 11 Pro",
      Ids.WINDOWS,
      "2de67392-b7a7-462a-b1ca-108dd189f588",
      "58e2134f-8e11-4d17-9cb2-91069c151148",
      25),
  /** Windows 10/11 Enterprise (volume), counted with Pro: N 25. */
  WINDOWS_ENTERPRISE(
      "Windows 10/11 Enterprise",
      Ids.WINDOWS,
      "73111121-5638-40f6-bc11-f1d7b0d64300",
      "58e2134f-8e11-4d17-9cb2-91069c151148",
      25),
  /** Windows Server 2022 Standard: N 5. */
  WINDOWS_SERVER_2022_STANDARD(
      "Windows Server 2022 Standard",
      Ids.WINDOWS,
      "9bd77860-9b31-4b7b-96ad-2564017315bf",
      "b74263e4-0f92-46c6-bcf8-c11d5efe2959",
      5),
  /** Windows Server 2022 Datacenter: N 5. */
  WINDOWS_SERVER_2022_DATACENTER(
      "Windows Server 2022 Datacenter",
      Ids.WINDOWS,
      "ef6cfc9f-8c5d-44ac-9aad-de6a2ea0ae03",
      "b74263e4-0f92-46c6-bcf8-c11d5efe2959",
      5),
  /** Windows Server 2025 Standard: N 5. */
  WINDOWS_SERVER_2025_STANDARD(
      "Windows Server 2025 Standard",
      Ids.WINDOWS,
      "7dc26449-db21-4e09-ba37-28f2958506a6",
      "907f1f65-adcd-4a2e-95bc-4bf500bc6e58",
      5),
  /** Windows Server 2025 Datacenter: N 5. */
  WINDOWS_SERVER_2025_DATACENTER(
      "Windows Server 2025 Datacenter",
      Ids.WINDOWS,
      "c052f164-cdf6-409a-a0cb-853ba0f0f55a",
      "907f1f65-adcd-4a2e-95bc-4bf500bc6e58",
      5),
  /** Office Professional Plus 2019: N 5. */
  OFFICE_2019_PRO_PLUS(
      "Office Professional Plus 2019",
      Ids.OFFICE,
      "85dd8b5f-eaa4-4af3-a628-cce9e77c9a03",
      "617d9eb1-ef36-4f82-86e0-a65ae07b96c6",
      5),
  /** Office LTSC Professional Plus 2021: N 5. */
  OFFICE_LTSC_2021_PRO_PLUS(
      "Office LTSC Professional Plus 2021",
      Ids.OFFICE,
      "fbdb3e18-a8ef-4fb3-9183-dffd60bd0984",
      "86d50b16-4808-41af-b83b-b338274318b2",
      5),
  /** Office LTSC Professional Plus 2024: N 5. */
  OFFICE_LTSC_2024_PRO_PLUS(
      "Office LTSC Professional Plus 2024",
      Ids.OFFICE,
      "8d368fc1-9470-4be2-8d66-90e836cbb051",
      "a8973cb5-bf03-0a4c-9cef-703099645ab3",
      5);

  private final String displayName;
  private final Guid applicationId;
  private final Guid skuId;
  private final Guid kmsCountedId;
  private final int requiredClientCount;

  TestProduct(
      String displayName,
      String applicationId,
      String skuId,
      String kmsCountedId,
      int requiredClientCount) {
    this.displayName = displayName;
    this.applicationId = Guid.parse(applicationId);
    this.skuId = Guid.parse(skuId);
    this.kmsCountedId = Guid.parse(kmsCountedId);
    this.requiredClientCount = requiredClientCount;
  }

  /** The edition's name, for example {@code "Windows 10 Pro"}. */
  public String displayName() {
    return displayName;
  }

  /** The application a host counts this edition under (Windows, or Office 2013 and later). */
  public Guid applicationId() {
    return applicationId;
  }

  /** The SKU (activation) ID of the edition. */
  public Guid skuId() {
    return skuId;
  }

  /** The KMS counted ID, the product group a host covers and counts. */
  public Guid kmsCountedId() {
    return kmsCountedId;
  }

  /** The N policy its clients send: 25 for Windows clients, 5 for servers and Office. */
  public int requiredClientCount() {
    return requiredClientCount;
  }

  /** The protocol version its clients speak: 6.0 for every fixture. */
  public ProtocolVersion version() {
    return ProtocolVersion.V6;
  }

  /**
   * A request builder preset with this edition's IDs, N policy and version; the caller sets the
   * CMID (or lets {@link KmsTestHost#request} draw one).
   */
  public ActivationRequest.Builder request() {
    return ActivationRequest.builder()
        .version(version())
        .applicationId(applicationId)
        .skuId(skuId)
        .kmsCountedId(kmsCountedId)
        .requiredClientCount(requiredClientCount);
  }

  /** The request of the client with machine ID {@code cmid}. */
  public ActivationRequest request(Guid cmid) {
    return request().cmid(Objects.requireNonNull(cmid, "cmid")).build();
  }

  @Override
  public String toString() {
    return displayName;
  }

  /** Application IDs, in a holder because an enum constant cannot read the enum's own statics. */
  private static final class Ids {
    static final String WINDOWS = "55c92734-d682-4d71-983e-d6ec3f16059f";
    static final String OFFICE = "0ff1ce15-a989-479d-af46-f275c6370663";
  }
}
