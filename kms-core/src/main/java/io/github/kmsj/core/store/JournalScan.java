package io.github.kmsj.core.store;

import io.github.kmsj.core.ledger.HostChange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Replays one journal file and finds where its valid records end.
 *
 * <p>Notes. Zeros from the end of the last record to the end of the file are the unused,
 * preallocated rest of the journal: a clean end. A record that is incomplete or fails its checksum
 * ends the valid prefix only when it is provably the tail: no whole record with a matching checksum
 * starts anywhere after it. A torn write or the zeros a file system leaves after a crash pass that
 * test; a flipped byte in an earlier record does not, because the records after it still verify,
 * and that stops the load instead of silently dropping them. A record whose checksum matches but
 * whose content does not decode is never a torn write: it stops the load too.
 *
 * @param records how many records were replayed
 * @param validEnd the byte offset where the valid prefix ends
 * @param warning what was cut off, when something was
 */
record JournalScan(long records, long validEnd, Optional<String> warning) {

  static JournalScan replay(Path path, long generation, StateModel model) {
    byte[] data;
    try {
      data = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new StoreException("cannot read journal file " + path, e);
    }
    long g = RecordCodec.readFileHeader(data, FileHostStore.JOURNAL_MAGIC);
    if (g != generation) {
      if (g < 0 && data.length <= RecordCodec.FILE_HEADER) {
        throw new StoreException(
            "journal file " + path + " has a torn header (" + data.length + " bytes)");
      }
      throw new StoreException(
          "journal file "
              + path
              + " is corrupt at byte offset 0: "
              + (g < 0 ? "bad header" : "header names generation " + g));
    }
    ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    int offset = RecordCodec.FILE_HEADER;
    long records = 0;
    while (offset < data.length) {
      if (!RecordCodec.isFrame(data, offset, data.length)) {
        if (isZeros(data, offset)) {
          // The unused rest of a preallocated journal: the clean end, nothing to repair.
          return new JournalScan(records, offset, Optional.empty());
        }
        if (hasFrameAfter(data, offset)) {
          throw new StoreException(
              "journal file "
                  + path
                  + " is corrupt at byte offset "
                  + offset
                  + ": a record fails its length or checksum check and valid records follow it");
        }
        String warning =
            "journal file "
                + path
                + " has a torn or corrupt tail at byte offset "
                + offset
                + ": discarded "
                + (data.length - offset)
                + " bytes, kept "
                + records
                + " records";
        return new JournalScan(records, offset, Optional.of(warning));
      }
      int length = b.getInt(offset);
      Object value;
      try {
        value = RecordCodec.decode(data, offset + RecordCodec.FRAME_HEADER, length);
      } catch (RecordCodec.BadPayloadException e) {
        throw new StoreException(
            "journal file " + path + " is corrupt at byte offset " + offset + ": " + e.getMessage(),
            e);
      }
      if (!(value instanceof HostChange change)) {
        throw new StoreException(
            "journal file "
                + path
                + " is corrupt at byte offset "
                + offset
                + ": a snapshot record in a journal");
      }
      try {
        model.apply(change);
      } catch (RuntimeException e) {
        throw new StoreException(
            "journal file "
                + path
                + " is corrupt at byte offset "
                + offset
                + ": its record cannot be replayed: "
                + e.getMessage(),
            e);
      }
      records++;
      offset += RecordCodec.FRAME_HEADER + length;
    }
    return new JournalScan(records, offset, Optional.empty());
  }

  private static boolean isZeros(byte[] data, int from) {
    for (int i = from; i < data.length; i++) {
      if (data[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasFrameAfter(byte[] data, int bad) {
    int declared =
        data.length - bad < 4
            ? -1
            : ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getInt(bad);
    long next = (long) bad + RecordCodec.FRAME_HEADER + declared;
    if (declared > 0 && next < data.length && RecordCodec.isFrame(data, (int) next, data.length)) {
      return true;
    }
    // Checking every later offset costs a checksum of up to a payload each: quadratic on a crafted
    // tail. The budget keeps loading linear in the file's size; a tail that exhausts it is not the
    // zeros or partial write of a torn tail, so it counts as corruption (start-up stops and names
    // the offset) rather than being cut off.
    long budget = 4L * data.length + (1 << 20);
    ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    for (int p = bad + 1; p + RecordCodec.FRAME_HEADER < data.length; p++) {
      int length = b.getInt(p);
      if (length < 1 || length > RecordCodec.MAX_PAYLOAD || length > data.length - p - 8) {
        continue;
      }
      budget -= length;
      if (budget < 0) {
        return true;
      }
      if (RecordCodec.isFrame(data, p, data.length)) {
        return true;
      }
    }
    return false;
  }
}
