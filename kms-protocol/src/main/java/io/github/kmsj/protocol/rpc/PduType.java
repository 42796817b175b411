package io.github.kmsj.protocol.rpc;

/**
 * The PTYPE of a connection-oriented PDU ([C706] 12.6.4); an open enum: unknown values are kept.
 *
 * @param value 0-255
 */
public record PduType(int value) {
  /** 0: request. */
  public static final PduType REQUEST = new PduType(0);

  /** 2: response. */
  public static final PduType RESPONSE = new PduType(2);

  /** 3: fault. */
  public static final PduType FAULT = new PduType(3);

  /** 11: bind. */
  public static final PduType BIND = new PduType(11);

  /** 12: bind_ack. */
  public static final PduType BIND_ACK = new PduType(12);

  /** 13: bind_nak. */
  public static final PduType BIND_NAK = new PduType(13);

  /** 14: alter_context. */
  public static final PduType ALTER_CONTEXT = new PduType(14);

  /** 15: alter_context_resp. */
  public static final PduType ALTER_CONTEXT_RESP = new PduType(15);

  /** 16: auth3. */
  public static final PduType AUTH3 = new PduType(16);

  /** 17: shutdown. */
  public static final PduType SHUTDOWN = new PduType(17);

  /** 18: co_cancel. */
  public static final PduType CO_CANCEL = new PduType(18);

  /** 19: orphaned. */
  public static final PduType ORPHANED = new PduType(19);

  private static final String[] NAMES = {
    "request",
    "ping",
    "response",
    "fault",
    "working",
    "nocall",
    "reject",
    "ack",
    "cl_cancel",
    "fack",
    "cancel_ack",
    "bind",
    "bind_ack",
    "bind_nak",
    "alter_context",
    "alter_context_resp",
    "auth3",
    "shutdown",
    "co_cancel",
    "orphaned"
  };

  /** Range check. */
  public PduType {
    if (value < 0 || value > 255) {
      throw new IllegalArgumentException("PTYPE must be 0-255: " + value);
    }
  }

  /** The type of a wire value; never throws for 0-255. */
  public static PduType of(int value) {
    return switch (value) {
      case 0 -> REQUEST;
      case 2 -> RESPONSE;
      case 3 -> FAULT;
      case 11 -> BIND;
      case 12 -> BIND_ACK;
      case 14 -> ALTER_CONTEXT;
      case 15 -> ALTER_CONTEXT_RESP;
      default -> new PduType(value);
    };
  }

  /** The [C706] name, or "unknown". */
  public String displayName() {
    return value < NAMES.length ? NAMES[value] : "unknown";
  }

  @Override
  public String toString() {
    return value + " (" + displayName() + ")";
  }
}
