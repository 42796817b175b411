package io.github.kmsj.protocol;

/** Input that declares or needs more than a {@link DecodeLimits} bound allows. */
public class LimitExceededException extends KmsProtocolException {
  private static final long serialVersionUID = 1L;

  /** The name of the {@link DecodeLimits} component that was exceeded. */
  private final String limit;

  /** The configured bound. */
  private final long allowed;

  /** What the input declared or needed. */
  private final long actual;

  /** The named limit was {@code allowed}, the input declared or needed {@code actual}. */
  public LimitExceededException(String limit, long allowed, long actual) {
    super(limit + " limit exceeded: " + actual + " > " + allowed);
    this.limit = limit;
    this.allowed = allowed;
    this.actual = actual;
  }

  /** The name of the {@link DecodeLimits} component that was exceeded. */
  public String limit() {
    return limit;
  }

  /** The configured bound. */
  public long allowed() {
    return allowed;
  }

  /** What the input declared or needed. */
  public long actual() {
    return actual;
  }
}
