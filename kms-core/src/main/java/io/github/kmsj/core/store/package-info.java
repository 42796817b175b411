/**
 * Host persistence: the {@link io.github.kmsj.core.store.HostStore} SPI, the built-in {@link
 * io.github.kmsj.core.store.FileHostStore}, an {@link io.github.kmsj.core.store.InMemoryHostStore},
 * the host's {@link io.github.kmsj.core.store.ClientRegistry client records}, and JSON export and
 * import of the whole {@link io.github.kmsj.core.store.HostState}.
 *
 * <h2>What is stored</h2>
 *
 * The host's identity (HWID and one ePID per host-key group), and every counted request as a {@link
 * io.github.kmsj.core.store.StoreChange.ClientSeen}: the inputs of counting and of the client
 * record. Replaying them in order on the last snapshot rebuilds the CMID tables (with each
 * application's highest N policy) and the client records, because both are functions of their
 * inputs. Readiness probes ({@code KmsHost.PROBE_CMID}) and refused requests are never stored.
 * Replay is exact while the host's clock does not run backwards; a clock step back can make
 * replayed {@code lastSeen} times earlier by up to the step, because queries between requests also
 * advance the counter's clock and are not journaled.
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
 * KMSJ-SNP}, {@code u32} format version (1), {@code u64} generation G, {@code u32} CRC32C of the
 * previous 20 bytes. Records follow, each framed as {@code u32 length, u32 CRC32C of the payload,
 * payload}; the payload's first byte is its type (1 identity, 2 counted request; in snapshots also
 * 10 info, 11 CMID table, 12 client record, 13 end with the record count). A payload is at most 1
 * MiB.
 *
 * <p>A snapshot is due after {@code snapshotEveryChanges} records (default 100,000) or once the
 * journal reaches {@code maxJournalBytes} (default 4 MiB) or the size of the snapshot it follows,
 * whichever is larger, which bounds the journal by the snapshot (the files on disk stay within
 * about twice the state). The host writes it inside its lock: snapshot {@code G+1} goes to a
 * temporary file, is fsynced and atomically renamed; journal {@code G+1} is created the same way;
 * then snapshot and journal {@code G} are deleted. A crash at any step leaves one complete pair,
 * and loading deletes the leftovers.
 *
 * <h2>Durability</h2>
 *
 * {@link io.github.kmsj.core.store.Durability#PER_REQUEST}: a request's record is forced to disk
 * before {@code KmsHost.handle} or {@code answer} returns; concurrent requests share one fsync.
 * {@link io.github.kmsj.core.store.Durability#grouped grouped(window)}: records reach the OS at
 * once (a process crash loses nothing) and a background thread forces them every window (a power
 * loss loses at most one window). A failed write or fsync poisons the store: that request and every
 * later one fail with {@code StoreException}, so nothing is answered as if it had been recorded.
 *
 * <h2>Damage on load</h2>
 *
 * <ul>
 *   <li>A torn or corrupt <em>tail</em> of the journal (an incomplete last record, a bad checksum,
 *       or zeros, with no valid record after it) is cut off: the valid prefix is kept, the file is
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
 *       StoreException}. A missing directory is created.
 * </ul>
 *
 * <h2>Client records</h2>
 *
 * The host keeps one {@link io.github.kmsj.core.store.ClientRecord} per application and CMID it
 * counted, for 90 days after its latest request and at most 1,000,000 (least recently seen dropped
 * first). {@code KmsHost.state(now)} returns them in a {@link io.github.kmsj.core.store.HostState},
 * which answers the queries (by CMID, not seen for a duration, current count per application).
 *
 * <h2>Export format (JSON, version 1)</h2>
 *
 * <pre>{@code
 * {
 *   "format": "kmsj-host-state",            // always this string
 *   "version": 1,                           // the format version
 *   "asOf": "2025-01-31T12:00:00Z",         // ISO-8601 instant the CMID tables were taken at
 *   "identity": {
 *     "hwid": "0123456789abcdef",           // 8 bytes, hex
 *     "ePids": { "windows-server-2025": "06401-00206-...-2792024" }   // by host-key group ID
 *   },
 *   "applications": [ {                     // one CMID table per application, in first-counted order
 *     "applicationId": "55c92734-d682-4d71-983e-d6ec3f16059f",
 *     "highestPolicy": 25,                  // highest N policy seen, 0-1000; the capacity is twice it
 *     "entries": [ {                        // least recently seen first
 *       "cmid": "...", "firstSeen": "...", "lastSeen": "...", "requestCount": 3 } ] } ],
 *   "clients": [ {                          // least recently seen first
 *     "cmid": "...", "workstationName": "pc1.example.com", "applicationId": "...", "skuId": "...",
 *     "kmsCountedId": "...", "licenseStatus": 2,         // the wire value
 *     "remoteAddress": "192.0.2.7", "remotePort": 49152, // absent when unknown
 *     "firstSeen": "...", "lastSeen": "...", "requestCount": 3 } ]
 * }
 * }</pre>
 *
 * {@link io.github.kmsj.core.store.HostStateExporter#importInto} writes such a state into an empty
 * store as its first snapshot (it refuses a non-empty store unless told to replace it); a host
 * built on that store then has the same identity, counts and client records.
 */
package io.github.kmsj.core.store;
