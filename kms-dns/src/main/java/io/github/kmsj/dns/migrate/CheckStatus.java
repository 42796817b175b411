package io.github.kmsj.dns.migrate;

/** The verdict of one migration check, worst last. */
public enum CheckStatus {
  /** Nothing to do. */
  PASS,
  /** Worth a look; the migration can go on. */
  WARN,
  /** The migration would lose clients or products as things are. */
  FAIL;

  /** The worse of two verdicts. */
  public CheckStatus worst(CheckStatus other) {
    return compareTo(other) >= 0 ? this : other;
  }
}
