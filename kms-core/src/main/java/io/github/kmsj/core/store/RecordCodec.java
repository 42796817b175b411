package io.github.kmsj.core.store;

import io.github.kmsj.core.ledger.ClientLedger;
import io.github.kmsj.core.ledger.ClientRecord;
import io.github.kmsj.core.ledger.DailyCount;
import io.github.kmsj.core.ledger.HostChange;
import io.github.kmsj.core.ledger.HostIdentity;
import io.github.kmsj.core.ledger.LedgerState;
import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.message.Epid;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.LicenseStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The binary form of journal and snapshot records (see the package notes): a frame of {@code u32
 * length, u32 CRC32C, payload}, little-endian, whose payload starts with a type byte.
 */
final class RecordCodec {
  static final int FRAME_HEADER = 8;

  /**
   * The largest payload; a length above it is corruption. A CMID table of 2000 entries takes 96 KB.
   */
  static final int MAX_PAYLOAD = 1 << 20;

  /** {@code magic(8) version(u32) generation(u64) crc32c(u32)}. */
  static final int FILE_HEADER = 24;

  /**
   * The file format written. Version 3 application records carry the count history (version 2 ones,
   * without it, still load with an empty history); version 2 snapshots hold ledger records; version
   * 1 journals (the same change records) are still read, version 1 snapshots are refused.
   */
  static final int VERSION = 3;

  /** The oldest version whose snapshots are read. */
  static final int OLDEST_SNAPSHOT_VERSION = 2;

  /** The oldest version whose journals are read. */
  static final int OLDEST_JOURNAL_VERSION = 1;

  static final byte IDENTITY = 1;
  static final byte CLIENT_SEEN = 2;
  static final byte CLOCK_STEPPED = 3;
  static final byte SNAPSHOT_INFO = 10;
  static final byte APPLICATION = 11;
  static final byte CLIENT = 12;
  static final byte SNAPSHOT_END = 13;

  /**
   * A payload with a valid frame whose content does not decode: corruption that a CRC did not
   * catch.
   */
  static final class BadPayloadException extends Exception {
    private static final long serialVersionUID = 1L;

    BadPayloadException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private RecordCodec() {}

  static int crc(byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    return (int) crc.getValue();
  }

  static ByteBuffer fileHeader(byte[] magic, long generation) {
    ByteBuffer b = ByteBuffer.allocate(FILE_HEADER).order(ByteOrder.LITTLE_ENDIAN);
    b.put(magic).putInt(VERSION).putLong(generation);
    b.putInt(crc(b.array(), 0, 20));
    return b.flip();
  }

  /** The format version in a file header; call after {@link #readFileHeader} accepted it. */
  static int fileVersion(byte[] data) {
    return ByteBuffer.wrap(data, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
  }

  /** The generation in a file header, or -1 if the header is not a valid one of {@code magic}. */
  static long readFileHeader(byte[] data, byte[] magic) {
    if (data.length < FILE_HEADER) {
      return -1;
    }
    ByteBuffer b = ByteBuffer.wrap(data, 0, FILE_HEADER).order(ByteOrder.LITTLE_ENDIAN);
    byte[] m = new byte[8];
    b.get(m);
    int version = b.getInt();
    long generation = b.getLong();
    int crc = b.getInt();
    if (!java.util.Arrays.equals(m, magic)
        || version < OLDEST_JOURNAL_VERSION
        || version > VERSION
        || crc != crc(data, 0, 20)
        || generation < 0) {
      return -1;
    }
    return generation;
  }

  /** Whether a whole frame with a matching checksum starts at {@code offset}. */
  static boolean isFrame(byte[] data, int offset, int end) {
    if (end - offset < FRAME_HEADER) {
      return false;
    }
    ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    int length = b.getInt(offset);
    if (length < 1 || length > MAX_PAYLOAD || length > end - offset - FRAME_HEADER) {
      return false;
    }
    return b.getInt(offset + 4) == crc(data, offset + FRAME_HEADER, length);
  }

  // ---- writing

  /** Appends frames to a growable little-endian buffer. */
  static final class Writer {
    private ByteBuffer buf = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    private int frameStart = -1;

    void reset() {
      buf.clear();
    }

    Writer clear() {
      buf.clear();
      return this;
    }

    boolean isEmpty() {
      return buf.position() == 0;
    }

    /** Appends the remaining bytes of {@code src}, consuming them. */
    void append(ByteBuffer src) {
      ensure(src.remaining());
      buf.put(src);
    }

    ByteBuffer buffer() {
      return buf;
    }

    void begin(byte type) {
      ensure(FRAME_HEADER + 1);
      frameStart = buf.position();
      buf.position(frameStart + FRAME_HEADER);
      buf.put(type);
    }

    void end() {
      int length = buf.position() - frameStart - FRAME_HEADER;
      buf.putInt(frameStart, length);
      buf.putInt(frameStart + 4, crc(buf.array(), frameStart + FRAME_HEADER, length));
      frameStart = -1;
    }

    private void ensure(int n) {
      if (buf.remaining() < n) {
        ByteBuffer bigger =
            ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n))
                .order(ByteOrder.LITTLE_ENDIAN);
        buf.flip();
        bigger.put(buf);
        buf = bigger;
      }
    }

    void u8(int v) {
      ensure(1);
      buf.put((byte) v);
    }

    void i32(int v) {
      ensure(4);
      buf.putInt(v);
    }

    void i64(long v) {
      ensure(8);
      buf.putLong(v);
    }

    void guid(Guid g) {
      ensure(16);
      buf.putLong(g.mostSigBits()).putLong(g.leastSigBits());
    }

    void instant(Instant t) {
      i64(t.getEpochSecond());
      i32(t.getNano());
    }

    void string(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      ensure(4 + b.length);
      buf.putInt(b.length).put(b);
    }

    void bytes(byte[] b) {
      ensure(4 + b.length);
      buf.putInt(b.length).put(b);
    }

    void remote(Optional<InetSocketAddress> remote) {
      if (remote.isEmpty() || remote.get().getAddress() == null) {
        bytes(new byte[0]);
        i32(0);
      } else {
        bytes(remote.get().getAddress().getAddress());
        i32(remote.get().getPort());
      }
    }
  }

  static void writeIdentity(Writer w, HostIdentity identity) {
    w.begin(IDENTITY);
    w.bytes(identity.hwid().toArray());
    w.i32(identity.ePids().size());
    for (Map.Entry<String, Epid> e : identity.ePids().entrySet()) {
      w.string(e.getKey());
      w.string(e.getValue().format());
    }
    w.end();
  }

  static void writeClientSeen(Writer w, HostChange.ClientSeen c) {
    w.begin(CLIENT_SEEN);
    w.instant(c.time());
    w.guid(c.applicationId());
    w.guid(c.cmid());
    w.i32(c.requiredClientCount());
    w.string(c.workstationName());
    w.guid(c.skuId());
    w.guid(c.kmsCountedId());
    w.i32(c.licenseStatus().value());
    w.remote(c.remote());
    w.end();
  }

  static void writeChange(Writer w, HostChange change) {
    if (change instanceof HostChange.IdentitySet set) {
      writeIdentity(w, set.identity());
    } else if (change instanceof HostChange.ClockStepped step) {
      w.begin(CLOCK_STEPPED);
      w.instant(step.to());
      w.end();
    } else {
      writeClientSeen(w, (HostChange.ClientSeen) change);
    }
  }

  static void writeSnapshotInfo(Writer w, Instant asOf, int applications, int clients) {
    w.begin(SNAPSHOT_INFO);
    w.instant(asOf);
    w.i32(applications);
    w.i32(clients);
    w.end();
  }

  static void writeApplication(Writer w, LedgerState.Application a) {
    w.begin(APPLICATION);
    w.guid(a.applicationId());
    w.i32(a.highestPolicy());
    w.i32(a.history().size());
    for (DailyCount d : a.history()) {
      w.i32((int) d.day().toEpochDay());
      w.i32(d.highestCount());
    }
    w.end();
  }

  static void writeClient(Writer w, ClientRecord c) {
    w.begin(CLIENT);
    w.guid(c.cmid());
    w.guid(c.applicationId());
    w.string(c.workstationName());
    w.guid(c.skuId());
    w.guid(c.kmsCountedId());
    w.i32(c.licenseStatus().value());
    w.i32(c.requiredClientCount());
    w.remote(c.remote());
    w.instant(c.firstSeen());
    w.instant(c.lastSeen());
    w.i64(c.requestCount());
    w.u8(c.inCount() ? 1 : 0);
    w.i32(c.workstationNames().size());
    for (String name : c.workstationNames()) {
      w.string(name);
    }
    w.i32(c.addresses().size());
    for (InetAddress a : c.addresses()) {
      w.bytes(a.getAddress());
    }
    w.end();
  }

  static void writeSnapshotEnd(Writer w, long records) {
    w.begin(SNAPSHOT_END);
    w.i64(records);
    w.end();
  }

  // ---- reading

  /** Reads one payload; every malformed value becomes a {@link BadPayloadException}. */
  static final class Reader {
    private final ByteBuffer b;

    Reader(byte[] data, int offset, int length) {
      this.b = ByteBuffer.wrap(data, offset, length).order(ByteOrder.LITTLE_ENDIAN);
    }

    byte type() {
      return b.get();
    }

    int i32() {
      return b.getInt();
    }

    long i64() {
      return b.getLong();
    }

    Guid guid() {
      return new Guid(b.getLong(), b.getLong());
    }

    Instant instant() {
      return Instant.ofEpochSecond(b.getLong(), b.getInt());
    }

    byte[] bytes() {
      int n = b.getInt();
      if (n < 0 || n > b.remaining()) {
        throw new IllegalArgumentException("length " + n + " exceeds the record");
      }
      byte[] out = new byte[n];
      b.get(out);
      return out;
    }

    String string() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    int u8() {
      return b.get() & 0xFF;
    }

    int count(int max) {
      int n = b.getInt();
      if (n < 0 || n > max) {
        throw new IllegalArgumentException("count " + n + " is not 0-" + max);
      }
      return n;
    }

    InetAddress address() {
      byte[] address = bytes();
      try {
        return InetAddress.getByAddress(address);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("bad address length " + address.length, e);
      }
    }

    Optional<InetSocketAddress> remote() {
      byte[] address = bytes();
      int port = b.getInt();
      if (address.length == 0) {
        return Optional.empty();
      }
      try {
        return Optional.of(new InetSocketAddress(InetAddress.getByAddress(address), port));
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("bad address length " + address.length, e);
      }
    }

    boolean hasRemaining() {
      return b.hasRemaining();
    }

    void end() {
      if (b.hasRemaining()) {
        throw new IllegalArgumentException(b.remaining() + " bytes left over");
      }
    }
  }

  /**
   * Decodes a payload into a change, a {@link LedgerState.Application}, a {@link ClientRecord} or a
   * marker.
   */
  static Object decode(byte[] data, int offset, int length) throws BadPayloadException {
    Reader r = new Reader(data, offset, length);
    try {
      byte type = r.type();
      Object value;
      switch (type) {
        case IDENTITY -> {
          Bytes hwid = Bytes.of(r.bytes());
          int n = r.i32();
          if (n < 0 || n > 1000) {
            throw new IllegalArgumentException("ePID count " + n);
          }
          Map<String, Epid> ePids = new LinkedHashMap<>();
          for (int i = 0; i < n; i++) {
            ePids.put(r.string(), Epid.parse(r.string()));
          }
          value = new HostChange.IdentitySet(new HostIdentity(hwid, ePids));
        }
        case CLIENT_SEEN ->
            value =
                new HostChange.ClientSeen(
                    r.instant(),
                    r.guid(),
                    r.guid(),
                    r.i32(),
                    r.string(),
                    r.guid(),
                    r.guid(),
                    LicenseStatus.of(r.i32()),
                    r.remote());
        case CLOCK_STEPPED -> value = new HostChange.ClockStepped(r.instant());
        case SNAPSHOT_INFO -> value = new SnapshotInfo(r.instant(), r.i32(), r.i32());
        case APPLICATION -> value = readApplication(r);
        case CLIENT -> value = readClient(r);
        case SNAPSHOT_END -> value = new SnapshotEnd(r.i64());
        default -> throw new IllegalArgumentException("unknown record type " + type);
      }
      r.end();
      return value;
    } catch (BufferUnderflowException
        | IllegalArgumentException
        | DateTimeException
        | ArithmeticException
        | NullPointerException e) {
      throw new BadPayloadException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
    }
  }

  /** An application record; one of version 2 ends after the policy and has no history. */
  private static LedgerState.Application readApplication(Reader r) {
    Guid applicationId = r.guid();
    int policy = r.i32();
    List<DailyCount> history = new ArrayList<>();
    if (r.hasRemaining()) {
      for (int i = r.count(ClientLedger.HISTORY_DAYS); i > 0; i--) {
        history.add(new DailyCount(LocalDate.ofEpochDay(r.i32()), r.i32()));
      }
    }
    return new LedgerState.Application(applicationId, policy, history);
  }

  private static ClientRecord readClient(Reader r) {
    Guid cmid = r.guid();
    Guid applicationId = r.guid();
    String name = r.string();
    Guid skuId = r.guid();
    Guid kmsCountedId = r.guid();
    LicenseStatus status = LicenseStatus.of(r.i32());
    int policy = r.i32();
    Optional<InetSocketAddress> remote = r.remote();
    Instant firstSeen = r.instant();
    Instant lastSeen = r.instant();
    long requests = r.i64();
    boolean inCount = r.u8() != 0;
    List<String> names = new ArrayList<>();
    for (int i = r.count(ClientRecord.MAX_SEEN); i > 0; i--) {
      names.add(r.string());
    }
    List<InetAddress> addresses = new ArrayList<>();
    for (int i = r.count(ClientRecord.MAX_SEEN); i > 0; i--) {
      addresses.add(r.address());
    }
    return new ClientRecord(
        cmid,
        applicationId,
        name,
        skuId,
        kmsCountedId,
        status,
        policy,
        remote,
        firstSeen,
        lastSeen,
        requests,
        inCount,
        names,
        addresses);
  }

  /** The first record of a snapshot. */
  record SnapshotInfo(Instant asOf, int applications, int clients) {}

  /** The last record of a snapshot: how many records came before it. */
  record SnapshotEnd(long records) {}
}
