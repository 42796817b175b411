package io.github.kmsj.core.catalog;

/** What a CSVLK of a group is for; only customer keys are emulated by default. */
public enum HostKeyRole {
  /** The key sold to customers. */
  CUSTOMER,
  /** A key only for Azure-hosted KMS. */
  AZURE_ONLY,
  /** Microsoft's internal lab key; its licence lists even retail IDs. */
  MICROSOFT_INTERNAL_LAB,
  /** A key for pre-release builds. */
  PRE_RELEASE
}
