package io.github.kmsj.core.host;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.kmsj.protocol.message.LicenseStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes one JSON object per processed request and line ("JSON lines"), to a file with size-based
 * rotation or to a stream such as {@code System.out}. Thread-safe: each line is built in memory and
 * written with one call under a short lock, so lines never interleave. An I/O failure throws {@link
 * UncheckedIOException}; the host's listener guard logs it and skips the event, and the next event
 * tries again.
 *
 * <p>Fields, in this order; a field the request did not carry is left out:
 *
 * <ul>
 *   <li>{@code time}: when the host handled the request, ISO-8601 UTC ({@code
 *       2024-05-01T12:00:00Z});
 *   <li>{@code probe}: true for a readiness probe, which is never counted;
 *   <li>{@code outcome}: {@code answered} or {@code refused};
 *   <li>{@code hresult}: the answer's HRESULT as {@code "0xC004F042"}; {@code hresultName} its
 *       symbolic name when known;
 *   <li>{@code currentCount}: the count returned (0 for a refusal);
 *   <li>{@code workstationName}, {@code cmid}, {@code applicationId}, {@code skuId}, {@code
 *       kmsCountedId}: as sent, GUIDs as lower-case text;
 *   <li>{@code requiredClientCount}: the client's N policy;
 *   <li>{@code licenseStatus}: the client's licence state as a number (0-6), {@code
 *       licenseStatusName} its name ({@code "OOB grace"});
 *   <li>{@code bindingExpirationMinutes}: minutes left in the client's state ("time to expiry");
 *   <li>{@code clientTime}: the client's clock as the request carried it, ISO-8601 UTC (event
 *       12290's client timestamp);
 *   <li>{@code clientVm}: whether the client runs in a virtual machine;
 *   <li>{@code remote}: the client's address, {@code 192.0.2.7:50123} or {@code
 *       [2001:db8::7]:50123};
 *   <li>{@code protocolVersion}: {@code "6.0"};
 *   <li>{@code catalogDigest}: the SHA-256 digest of the product catalog the host used;
 *   <li>{@code groupId}: the host-key group that covered the product;
 *   <li>{@code reason}: why the request was refused;
 *   <li>{@code processingMicros}: how long the host took, in microseconds.
 * </ul>
 *
 * <p>Rotation: before a line would take {@code file} past {@code maxBytes}, {@code file} becomes
 * {@code file.1}, {@code file.1} becomes {@code file.2} and so on; {@code file.<maxFiles>} is
 * deleted. A line longer than {@code maxBytes} is written alone to a fresh file. Events carry no
 * key material, so none can reach the log.
 */
public final class JsonLinesRequestLogger implements HostListener, AutoCloseable {
  private static final JsonFactory JSON = JsonFactory.builder().build();

  private final Path file;
  private final long maxBytes;
  private final int maxFiles;
  private final boolean ownsStream;
  private final ReentrantLock lock = new ReentrantLock();
  private OutputStream out;
  private long size;
  private boolean closed;

  private JsonLinesRequestLogger(Path file, long maxBytes, int maxFiles, OutputStream out) {
    this.file = file;
    this.maxBytes = maxBytes;
    this.maxFiles = maxFiles;
    this.ownsStream = out == null;
    this.out = out;
  }

  /**
   * A logger appending to {@code file} (created when missing) and rotating it.
   *
   * @param maxBytes the largest size of one file, at least 1
   * @param maxFiles how many rotated files to keep besides {@code file}, at least 1
   * @throws UncheckedIOException when the file cannot be opened
   */
  public static JsonLinesRequestLogger toFile(Path file, long maxBytes, int maxFiles) {
    Objects.requireNonNull(file, "file");
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be at least 1: " + maxBytes);
    }
    if (maxFiles < 1) {
      throw new IllegalArgumentException("maxFiles must be at least 1: " + maxFiles);
    }
    JsonLinesRequestLogger logger = new JsonLinesRequestLogger(file, maxBytes, maxFiles, null);
    try {
      logger.open();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open the request log " + file + ": " + e.getMessage(), e);
    }
    return logger;
  }

  /**
   * A logger writing to {@code out} and flushing after each line, without rotation; {@link
   * #close()} does not close {@code out} (it may be {@code System.out}).
   */
  public static JsonLinesRequestLogger toStream(OutputStream out) {
    return new JsonLinesRequestLogger(null, Long.MAX_VALUE, 0, Objects.requireNonNull(out, "out"));
  }

  /**
   * Writes the event's line.
   *
   * @throws UncheckedIOException when it cannot be written
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public void onRequest(RequestEvent event) {
    byte[] line = line(event);
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the request log is closed");
      }
      write(line);
    } catch (IOException e) {
      if (ownsStream) {
        abandonFile(e);
      }
      throw new UncheckedIOException(
          "cannot write the request log" + (file == null ? "" : " " + file) + ": " + e.getMessage(),
          e);
    } finally {
      lock.unlock();
    }
  }

  private void write(byte[] line) throws IOException {
    if (ownsStream) {
      if (out == null) {
        open();
      }
      if (size > 0 && size + line.length > maxBytes) {
        rotate();
      }
      out.write(line);
      size += line.length;
    } else {
      out.write(line);
      out.flush();
    }
  }

  private void open() throws IOException {
    out =
        Files.newOutputStream(
            file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    size = Files.size(file);
  }

  private void rotate() throws IOException {
    out.close();
    out = null;
    Files.deleteIfExists(rotated(maxFiles));
    for (int i = maxFiles - 1; i >= 1; i--) {
      Path from = rotated(i);
      if (Files.exists(from)) {
        Files.move(from, rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
    open();
  }

  private Path rotated(int index) {
    return file.resolveSibling(file.getFileName() + "." + index);
  }

  /** The event as one line of UTF-8 JSON ending in {@code \n}. */
  static byte[] line(RequestEvent e) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
    try (JsonGenerator g = JSON.createGenerator(buffer)) {
      g.writeStartObject();
      g.writeStringField("time", e.time().toString());
      g.writeBooleanField("probe", e.probe());
      g.writeStringField("outcome", e.isAnswered() ? "answered" : "refused");
      g.writeStringField("hresult", String.format("0x%08X", e.hresult().value()));
      if (e.hresult().name().isPresent()) {
        g.writeStringField("hresultName", e.hresult().name().get());
      }
      g.writeNumberField("currentCount", e.currentCount());
      if (e.workstationName().isPresent()) {
        g.writeStringField("workstationName", e.workstationName().get());
      }
      if (e.cmid().isPresent()) {
        g.writeStringField("cmid", e.cmid().get().toString());
      }
      if (e.applicationId().isPresent()) {
        g.writeStringField("applicationId", e.applicationId().get().toString());
      }
      if (e.skuId().isPresent()) {
        g.writeStringField("skuId", e.skuId().get().toString());
      }
      if (e.kmsCountedId().isPresent()) {
        g.writeStringField("kmsCountedId", e.kmsCountedId().get().toString());
      }
      if (e.requiredClientCount().isPresent()) {
        g.writeNumberField(
            "requiredClientCount", Integer.toUnsignedLong(e.requiredClientCount().get()));
      }
      if (e.licenseStatus().isPresent()) {
        LicenseStatus s = e.licenseStatus().get();
        g.writeNumberField("licenseStatus", Integer.toUnsignedLong(s.value()));
        g.writeStringField("licenseStatusName", s.displayName());
      }
      if (e.bindingExpiration().isPresent()) {
        g.writeNumberField(
            "bindingExpirationMinutes", Integer.toUnsignedLong(e.bindingExpiration().get()));
      }
      if (e.clientTime().isPresent()) {
        g.writeStringField("clientTime", e.clientTime().get().toString());
      }
      if (e.clientVm().isPresent()) {
        g.writeBooleanField("clientVm", e.clientVm().get());
      }
      if (e.remote().isPresent()) {
        InetSocketAddress remote = e.remote().get();
        g.writeStringField("remote", EventText.address(remote));
      }
      if (e.protocolVersion().isPresent()) {
        g.writeStringField("protocolVersion", e.protocolVersion().get().toString());
      }
      g.writeStringField("catalogDigest", e.catalogDigest());
      if (e.groupId().isPresent()) {
        g.writeStringField("groupId", e.groupId().get());
      }
      if (e.reason().isPresent()) {
        g.writeStringField("reason", e.reason().get());
      }
      g.writeNumberField("processingMicros", e.processingTime().toNanos() / 1000);
      g.writeEndObject();
    } catch (IOException impossible) {
      throw new UncheckedIOException("writing JSON to memory failed", impossible);
    }
    buffer.write('\n');
    return buffer.toByteArray();
  }

  /** Closes the file (a stream given to {@link #toStream} stays open); idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (ownsStream) {
        closeFile();
      } else {
        out.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot flush the request log: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  /** Drops a file that failed, so that the next event reopens it. */
  private void abandonFile(IOException failure) {
    OutputStream o = out;
    out = null;
    if (o != null) {
      try {
        o.close();
      } catch (IOException e) {
        failure.addSuppressed(e);
      }
    }
  }

  private void closeFile() {
    OutputStream o = out;
    out = null;
    if (o != null) {
      try {
        o.close();
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot close the request log " + file + ": " + e.getMessage(), e);
      }
    }
  }

  @Override
  public String toString() {
    return "JsonLinesRequestLogger[" + (file == null ? "stream" : file) + "]";
  }
}
