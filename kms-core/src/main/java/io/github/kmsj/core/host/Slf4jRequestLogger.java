package io.github.kmsj.core.host;

import io.github.kmsj.protocol.message.HResult;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.helpers.MessageFormatter;

/**
 * Logs one line per processed request through SLF4J, with the fields of Microsoft's KMS event 12290
 * (client name, CMID, application, SKU, KMS counted ID, N policy, licence state, time to expiry,
 * client timestamp, HRESULT, count returned) plus the remote address, protocol version and
 * processing time. Messages are parameterised; the workstation name is escaped so that a client
 * cannot forge log lines. Nothing derived from keys is ever logged: events carry none.
 *
 * <p>Levels: INFO for an answered request and for the refusals a client's configuration causes
 * ({@code 0xC004F042}, {@code 0xC004F06C}); WARN for {@code 0x8007000D} (an unsupported version, a
 * request that does not decode or an N policy above 1000), which points at a broken or hostile
 * client; DEBUG for readiness probes.
 */
public final class Slf4jRequestLogger implements HostListener {
  /** The logger name used by {@link #Slf4jRequestLogger()}. */
  public static final String DEFAULT_LOGGER = "io.github.kmsj.core.host.requests";

  /** The message pattern; one placeholder per element of {@link #arguments}. */
  static final String PATTERN =
      "KMS request {} hresult={} count={} client={} cmid={} remote={} version={} app={} sku={}"
          + " kmsCountedId={} policy={} status={} expiresIn={}min clientTime={} vm={} group={} time={}us"
          + " reason={}";

  private final Logger logger;

  /** Logs to the logger named {@value #DEFAULT_LOGGER}. */
  public Slf4jRequestLogger() {
    this(DEFAULT_LOGGER);
  }

  /** Logs to the logger named {@code loggerName}. */
  public Slf4jRequestLogger(String loggerName) {
    this.logger = LoggerFactory.getLogger(Objects.requireNonNull(loggerName, "loggerName"));
  }

  /** Logs the event at the level the class comment gives. */
  @Override
  public void onRequest(RequestEvent event) {
    Level level = level(event);
    if (logger.isEnabledForLevel(level)) {
      logger.atLevel(level).log(PATTERN, arguments(event));
    }
  }

  static Level level(RequestEvent event) {
    if (event.probe()) {
      return Level.DEBUG;
    }
    return event.hresult().equals(HResult.INVALID_DATA) ? Level.WARN : Level.INFO;
  }

  static Object[] arguments(RequestEvent e) {
    return new Object[] {
      e.probe() ? "probe" : e.isAnswered() ? "answered" : "refused",
      e.hresult(),
      e.currentCount(),
      e.workstationName().map(EventText::printable).orElse("-"),
      text(e.cmid()),
      e.remote().map(EventText::address).orElse("-"),
      text(e.protocolVersion()),
      text(e.applicationId()),
      text(e.skuId()),
      text(e.kmsCountedId()),
      e.requiredClientCount().map(n -> Integer.toUnsignedString(n)).orElse("-"),
      text(e.licenseStatus()),
      e.bindingExpiration().map(n -> Integer.toUnsignedString(n)).orElse("-"),
      text(e.clientTime()),
      text(e.clientVm()),
      e.groupId().orElse("-"),
      e.processingTime().toNanos() / 1000,
      e.reason().map(EventText::printable).orElse("-")
    };
  }

  /** The line {@link #onRequest} logs, for tests. */
  static String format(RequestEvent event) {
    return MessageFormatter.arrayFormat(PATTERN, arguments(event)).getMessage();
  }

  private static String text(Optional<?> value) {
    return value.map(Object::toString).orElse("-");
  }

  @Override
  public String toString() {
    return "Slf4jRequestLogger[" + logger.getName() + "]";
  }
}
