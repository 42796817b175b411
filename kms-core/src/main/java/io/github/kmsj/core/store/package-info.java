/**
 * Host persistence: the {@link io.github.kmsj.core.store.HostStore} SPI and its "keeps nothing"
 * value {@link io.github.kmsj.core.store.HostStore#none()}, the built-in {@link
 * io.github.kmsj.core.store.FileHostStore}, an {@link io.github.kmsj.core.store.InMemoryHostStore},
 * and JSON export and import of a whole {@link io.github.kmsj.core.ledger.HostState}.
 *
 * <h2>What is stored</h2>
 *
 * The host's identity (HWID and one ePID per host-key group), and every counted request as a {@link
 * io.github.kmsj.core.ledger.HostChange.ClientSeen}. Replaying them in order on the last snapshot
 * through a {@link io.github.kmsj.core.ledger.ClientLedger} rebuilds exactly the host's ledger
 * (counts, capacities, client records), because applying a change is a function of the ledger and
 * the change, and reads never change the ledger. Readiness probes ({@code KmsHost.PROBE_CMID}) and
 * refused requests are never stored.
 *
 * <h2>Durability: what an answer promises</h2>
 *
 * The host answers a counted request only when the store's future for its change completes, and
 * {@code append} never blocks the caller. {@link io.github.kmsj.core.store.FileHostStore} offers:
 *
 * <ul>
 *   <li>{@link io.github.kmsj.core.store.Durability#SURVIVES_POWER_LOSS} (the default): the answer
 *       waits until the journal record is forced to disk ({@code fsync}). One writer thread writes
 *       every change queued at that moment with one write and one force (group commit), so an
 *       answer waits about one force and throughput grows with concurrency.
 *   <li>{@link io.github.kmsj.core.store.Durability#survivesProcessCrash(java.time.Duration)
 *       survivesProcessCrash(forceEvery)}: the answer waits until the record is written to the
 *       operating system (a killed or crashed host process loses nothing); the journal is forced
 *       every {@code forceEvery}, so a power loss or OS crash can lose the changes answered in the
 *       last {@code forceEvery} plus one force.
 * </ul>
 *
 * No mode answers from a buffer only the JVM holds.
 *
 * <p>Group commit needs no wait: the writer takes whatever is queued when it is free, so the
 * changes that arrive during one force share the next. {@link
 * io.github.kmsj.core.store.FileHostStore.Builder#groupWait(java.time.Duration)} adds a gather step
 * (PostgreSQL's {@code commit_delay}) to power-loss durability: when the previous batch held more
 * than one change, the writer waits up to {@code groupWait} (at most 10 ms, on the store's ticker)
 * for as many changes as arrived with it and forces at once when they are there. Fewer forces per
 * answer, a longer wait for each; a lone client never waits. The default is no wait.
 *
 * <h2>Faults are states</h2>
 *
 * A failed write or force (disk full, I/O error) never acknowledges the change it concerns and
 * never breaks the store: the store becomes {@link io.github.kmsj.core.store.StoreHealth.Degraded
 * degraded} ({@link io.github.kmsj.core.store.HostStore#health()}, one ERROR line, listeners told),
 * the futures of the changes not yet acknowledged fail with {@link
 * io.github.kmsj.core.store.StoreException}, and every later {@code append} fails at once. Every
 * {@code retryEvery} (default 1 s) it writes everything since its last successful force again at
 * the same offsets, cuts any torn rest and forces; when that succeeds it is healthy again (one INFO
 * line). The journal then holds no torn and no duplicate record and every acknowledged one; a
 * change whose future failed is stored too, because the host counted it in memory when it appended
 * (the host's ledger equals what a restart loads; a CMID that was never sent is never stored). The
 * host answers a counted request it cannot record with {@code 0x8007045D} (ERROR_IO_DEVICE), so the
 * client retries later.
 *
 * <p>Every {@code directoryCheckEvery} (default 5 s) and before each rotation the store compares
 * its directory and lock file with those it opened (existence and file key). One that was removed
 * or replaced degrades the store until the host restarts: another host may already write there, so
 * this one never writes again. Its in-memory state can still be exported; the changes it could not
 * write are lost at the restart.
 *
 * <h2>The directory of a {@code FileHostStore}</h2>
 *
 * <ul>
 *   <li>{@code lock}: held with an OS file lock while the store is open; a second store on the same
 *       directory, in this process or another, fails with a {@link
 *       io.github.kmsj.core.store.StoreException}.
 *   <li>{@code snapshot-G.bin} (G: ten decimal digits): the whole state after every record of the
 *       journals before generation G.
 *   <li>{@code journal-G.log}: the records since snapshot G ({@code journal-0000000000.log} starts
 *       from nothing and has no snapshot).
 * </ul>
 *
 * Both files start with a 24-byte header, little-endian: magic {@code KMSJ-JNL} or {@code
 * KMSJ-SNP}, {@code u32} format version (3; version 1 and 2 journals and version 2 snapshots are
 * still read, version 1 snapshots are refused with a message), {@code u64} generation G, {@code
 * u32} CRC32C of the previous 20 bytes. Records follow, each framed as {@code u32 length, u32
 * CRC32C of the payload, payload}; the payload's first byte is its type (1 identity, 2 counted
 * request; in snapshots also 10 info, 11 application with its highest N policy and, from version 3,
 * its count history: {@code u32 n} and {@code n} pairs of {@code i32} epoch day and {@code i32}
 * that day's highest count; 12 client record, 13 end with the record count). A payload is at most 1
 * MiB.
 *
 * <h2>Compaction, off the request path</h2>
 *
 * After {@code snapshotEveryChanges} records (default 1,000,000), or once the journal reaches
 * {@code maxJournalBytes} (default 4 MiB) or twice the size of the snapshot it follows, whichever
 * is larger, the writer thread forces and closes journal {@code G} and starts journal {@code G+1}
 * (a temporary file, forced, atomically renamed). A compaction thread then replays the older
 * snapshot and the closed journals into a ledger of its own and writes snapshot {@code G+1}
 * (temporary file, force, rename, directory force), and only then deletes the older files. Neither
 * step takes the host's lock or copies the host's state. A crash at any step leaves a loadable
 * chain, and loading deletes the leftovers; a failed compaction is logged and the journals it would
 * have replaced are kept for the next one.
 *
 * <p>Journals are zero-filled 4 MiB ahead of their records, so that appending does not change the
 * file's size and each {@code fdatasync} flushes data only; the zeros after the last record are the
 * journal's clean end, not damage.
 *
 * <h2>Damage on load</h2>
 *
 * <ul>
 *   <li>A torn or corrupt <em>tail</em> of the newest journal (an incomplete last record or a bad
 *       checksum, with no valid record after it) is cut off: the valid prefix is kept, the file is
 *       truncated, a WARN is logged naming the file and byte offset, and the same sentence is in
 *       {@link io.github.kmsj.core.store.StoreLoadReport#warnings()} (see {@code
 *       KmsHost.storeLoadReport()}).
 *   <li>A bad record <em>followed by valid records</em> (a flipped byte in the middle) stops
 *       start-up with a {@code StoreException} naming the file and offset: dropping the records
 *       after it would silently lose counted clients.
 *   <li>A corrupt snapshot stops start-up with a {@code StoreException} naming the file and offset.
 *   <li>A journal whose snapshot is missing ({@code journal-G.log} with G &gt; 0 and no {@code
 *       snapshot-G.bin}) stops start-up: starting from the journal alone would silently drop the
 *       compacted clients.
 *   <li>A directory that cannot be created, listed or locked stops start-up with a {@code
 *       StoreException}. A missing directory is created {@code rwx------}; every file the store
 *       creates is {@code rw-------} (where the file system has POSIX permissions; files written by
 *       an older kmsj keep theirs until compaction replaces them).
 * </ul>
 *
 * <h2>Export format (JSON, version 2)</h2>
 *
 * <pre>{@code
 * {
 *   "format": "kmsj-host-state",            // always this string
 *   "version": 2,                           // the format version; version 1 files are read too
 *   "asOf": "2025-01-31T12:00:00Z",         // the ledger's time
 *   "identity": {
 *     "hwid": "0123456789abcdef",           // 8 bytes, hex
 *     "ePids": { "windows-server-2025": "06401-00206-...-2792024" }   // by host-key group ID
 *   },
 *   "applications": [ {                     // in first-counted order
 *     "applicationId": "55c92734-d682-4d71-983e-d6ec3f16059f",
 *     "highestPolicy": 25,                  // highest N policy seen, 0-1000; capacity twice it
 *     "history": [ { "day": "2025-01-31", "highestCount": 26 } ] } ],  // optional: each UTC
 *                                           // day's highest count, last 128 days, oldest first
 *   "clients": [ {                          // least recently seen first
 *     "cmid": "...", "applicationId": "...", "workstationName": "pc1.example.com",
 *     "skuId": "...", "kmsCountedId": "...", "licenseStatus": 2,     // the wire value
 *     "requiredClientCount": 25,
 *     "remoteAddress": "192.0.2.7", "remotePort": 49152,             // absent when unknown
 *     "firstSeen": "...", "lastSeen": "...", "requestCount": 3,
 *     "inCount": true,                      // holds a place in its application's count
 *     "workstationNames": ["pc1.example.com"], "addresses": ["192.0.2.7"] } ]  // up to 4 each
 * }
 * }</pre>
 *
 * {@link io.github.kmsj.core.store.HostStateExporter#importInto} writes such a state into an empty
 * store as its first snapshot (it refuses a non-empty store unless told to replace it); a host
 * built on that store then has the same identity, counts and client records.
 */
package io.github.kmsj.core.store;
