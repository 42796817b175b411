package io.github.kmsj.core.client;

import io.github.kmsj.protocol.message.LicenseStatus;

/**
 * The licence state of a KMS client as {@link ClientLifecycle} tracks it (docs/PROTOCOL.md §10).
 */
public enum LifecycleState {
  /**
   * Installed, not yet activated: the 30-day out-of-box grace period; retries every activation
   * interval.
   */
  OOB_GRACE(LicenseStatus.OOB_GRACE),
  /** Activated: valid for 180 days from the last success; renews every renewal interval. */
  LICENSED(LicenseStatus.LICENSED),
  /**
   * Grace or validity ran out without an activation: reduced-functionality notifications; still
   * retries.
   */
  NOTIFICATION(LicenseStatus.NOTIFICATION),
  /**
   * The hardware changed beyond tolerance and the activation no longer holds: a 30-day
   * out-of-tolerance grace period in which the client retries every activation interval, as in
   * out-of-box grace.
   */
  OOT_GRACE(LicenseStatus.OOT_GRACE);

  private final LicenseStatus licenseStatus;

  LifecycleState(LicenseStatus licenseStatus) {
    this.licenseStatus = licenseStatus;
  }

  /** The {@code licenseStatus} a client in this state sends. */
  public LicenseStatus licenseStatus() {
    return licenseStatus;
  }
}
