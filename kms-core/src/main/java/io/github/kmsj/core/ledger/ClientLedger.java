package io.github.kmsj.core.ledger;

import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.LicenseStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The host's one client ledger: a record per (application ID, CMID) that yields Microsoft's count
 * and the host's client list (docs/PROTOCOL.md §10).
 *
 * <ul>
 *   <li>A request adds its CMID or refreshes it; its count is the number of distinct CMIDs of its
 *       application seen in the last {@link #ACTIVE_WINDOW 30 days}, itself included. A renewal
 *       does not grow the count. A CMID last seen at {@code t} counts up to, but not at, {@code t +
 *       30 days}.
 *   <li>An application's count holds at most {@link #capacityFor twice the highest N policy} seen
 *       for it (10 after only servers or Office, 50 once a Windows client arrives), never
 *       shrinking; a new CMID beyond that takes the place of the least recently seen one.
 *   <li>Records outlive their place in the count for the {@link LedgerLimits#retention retention}
 *       (90 days by default) and number at most {@link LedgerLimits#maxClients}; beyond either the
 *       least recently seen record is forgotten.
 * </ul>
 *
 * <p>Time is an argument and never read. The ledger keeps its own time, the latest it was given: a
 * change at an earlier time counts as that later time, so a host clock stepping back never makes
 * negative ages. Only {@link #apply} changes the ledger; {@link #count} and {@link #state} are pure
 * reads, so replaying the changes a store journaled rebuilds exactly the same ledger. Each call
 * costs amortized O(1), a renewal allocates nothing in proportion to the clients. Not thread-safe:
 * the host calls it under its lock.
 *
 * <p>Notes. Every record is a {@code Slot} on two lists ordered by {@code lastSeen}: its
 * application's and the ledger's. Touching a slot moves it to both tails. The lists link slot
 * indices in {@code int} arrays ({@link IndexLists}), so that moving a slot stores no reference
 * into long-lived objects (see {@code Slot.update}). The slots that hold a place in an
 * application's count are always a suffix of its list (a touched slot joins at the tail; expiry and
 * eviction take the oldest), so one pointer, {@code firstCounted}, marks the boundary and both
 * expiry and eviction advance it. Retention and the record cap trim the ledger list from its head.
 */
public final class ClientLedger {

  private static final int INITIAL_SLOTS = 64;

  private static final int NONE = IndexLists.NONE;

  /** How long a CMID keeps counting after its latest request. */
  public static final Duration ACTIVE_WINDOW = Duration.ofDays(30);

  /** The highest N policy a host accepts; vlmcsd refuses more with {@code 0x8007000D}. */
  public static final int MAX_POLICY = 1000;

  /** The highest count an application can have: its capacity at {@link #MAX_POLICY}. */
  public static final int MAX_COUNT = 2 * MAX_POLICY;

  /** How many days of count history each application keeps (at least the last 90). */
  public static final int HISTORY_DAYS = 128;

  private final LedgerLimits limits;

  /** In the order applications were first counted, so that states are reproducible. */
  private final Map<Guid, Table> tables = new LinkedHashMap<>();

  /** The slots by index; a removed slot's index is reused. */
  private Slot[] slotAt = new Slot[INITIAL_SLOTS];

  private int[] freeIndices = new int[INITIAL_SLOTS];
  private int freeCount;

  /** Indices below it have been handed out at least once. */
  private int usedIndices;

  /** The ledger's list (all slots) and the applications' lists (each slot in its table's). */
  private final IndexLists global = new IndexLists(INITIAL_SLOTS);

  private final IndexLists byApplication = new IndexLists(INITIAL_SLOTS);
  private final IndexLists.Ends all = new IndexLists.Ends();
  private int size;
  private Instant latest = Instant.EPOCH;

  /** An empty ledger with the {@link LedgerLimits#DEFAULT default limits}. */
  public ClientLedger() {
    this(LedgerLimits.DEFAULT);
  }

  /** An empty ledger with {@code limits}. */
  public ClientLedger(LedgerLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * The count capacity of an application whose highest N policy is {@code highestPolicy}: twice
   * that, and at least 2 so that a table can always hold the requesting CMID.
   */
  public static int capacityFor(int highestPolicy) {
    return 2 * Math.max(highestPolicy, 1);
  }

  /** The earliest time the ledger accepts: 1601-01-01, the FILETIME epoch. */
  public static final Instant MIN_TIME = Instant.parse("1601-01-01T00:00:00Z");

  /** The latest time the ledger accepts: the end of year 9999, far from any overflow. */
  public static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59.999999999Z");

  /** The longest workstation name, as the wire carries it. */
  public static final int MAX_NAME = 63;

  /** Checks that {@code t} is within {@link #MIN_TIME}–{@link #MAX_TIME}, naming it. */
  static Instant requireTime(Instant t, String name) {
    Objects.requireNonNull(t, name);
    if (t.isBefore(MIN_TIME) || t.isAfter(MAX_TIME)) {
      throw new IllegalArgumentException(name + " must be within years 1601-9999: " + t);
    }
    return t;
  }

  /** Checks a workstation name's length, naming it. */
  static String requireName(String n, String name) {
    Objects.requireNonNull(n, name);
    if (n.length() > MAX_NAME) {
      throw new IllegalArgumentException(
          name + " must be at most " + MAX_NAME + " characters: " + n.length());
    }
    return n;
  }

  /** Checks an N policy against 0–{@link #MAX_POLICY}. */
  static int requirePolicy(int policy) {
    if (policy < 0 || policy > MAX_POLICY) {
      throw new IllegalArgumentException("N policy must be 0–" + MAX_POLICY + ": " + policy);
    }
    return policy;
  }

  /** The limits. */
  public LedgerLimits limits() {
    return limits;
  }

  /**
   * Applies a change: counts a {@link HostChange.ClientSeen}, clamps the ledger's times to a {@link
   * HostChange.ClockStepped}; an identity change is not the ledger's and is ignored.
   */
  public Optional<Tally> apply(HostChange change) {
    if (change instanceof HostChange.ClientSeen seen) {
      return Optional.of(apply(seen));
    }
    if (change instanceof HostChange.ClockStepped step) {
      clampTo(step.to());
    }
    return Optional.empty();
  }

  /**
   * Makes every time later than {@code to} equal to it, and {@code to} the ledger's time: what a
   * confirmed step of the host clock back to {@code to} means for the clients counted while the
   * clock was ahead. The transform keeps the order of the records, so counts and capacities stay
   * consistent. Costs O(clients); clock steps are rare.
   */
  public void clampTo(Instant to) {
    Objects.requireNonNull(to, "to");
    for (int i = all.tail; i != NONE && slotAt[i].seenAfter(to); i = global.prev(i)) {
      Slot s = slotAt[i];
      s.lastSeen(to);
      if (s.firstSeen.isAfter(to)) {
        s.firstSeen = to;
      }
    }
    if (latest.isAfter(to)) {
      latest = to;
    }
    for (Table table : tables.values()) {
      table.history.truncateAfter(to);
    }
  }

  /** Counts one admitted request: adds or refreshes its record and returns its count. */
  public Tally apply(HostChange.ClientSeen seen) {
    Instant t = advance(seen.time());
    Table table = tables.get(seen.applicationId());
    if (table == null) {
      table = new Table(seen.applicationId());
      tables.put(seen.applicationId(), table);
    }
    expire(table, t);
    if (seen.requiredClientCount() > table.highestPolicy) {
      table.highestPolicy = seen.requiredClientCount();
    }
    Slot slot = table.slots.get(seen.cmid());
    boolean newCmid;
    if (slot == null) {
      slot = place(new Slot(table, seen.cmid(), t));
      table.slots.put(seen.cmid(), slot);
      size++;
      newCmid = true;
    } else {
      newCmid = !slot.inCount;
      unlink(table, slot.index);
      global.unlink(all, slot.index);
      slot.requestCount++;
    }
    slot.update(seen, t);
    byApplication.append(table.list, slot.index);
    global.append(all, slot.index);
    if (newCmid) {
      slot.inCount = true;
      table.counted++;
    }
    if (table.firstCounted == NONE) {
      table.firstCounted = slot.index;
    }
    Guid evicted = null;
    if (table.counted > capacityFor(table.highestPolicy)) {
      evicted = slotAt[table.firstCounted].cmid;
      dropFirstCounted(table);
    }
    trim(t);
    table.history.record(t, table.counted);
    return new Tally(table.counted, newCmid, Optional.ofNullable(evicted));
  }

  /**
   * The number of CMIDs of {@code applicationId} counting at {@code now} (the ledger's time if
   * later); reads only.
   */
  public int count(Guid applicationId, Instant now) {
    Table table = tables.get(applicationId);
    if (table == null) {
      return 0;
    }
    Instant t = now.isAfter(latest) ? now : latest;
    int expired = 0;
    Instant cutoff = t.minus(ACTIVE_WINDOW);
    for (int i = table.firstCounted;
        i != NONE && !slotAt[i].seenAfter(cutoff);
        i = byApplication.next(i)) {
      expired++;
    }
    return table.counted - expired;
  }

  /**
   * The count history of {@code applicationId}: each UTC day's highest count, oldest first, the
   * last {@value #HISTORY_DAYS} days at most; empty if it was never counted.
   */
  public List<DailyCount> history(Guid applicationId) {
    Table table = tables.get(applicationId);
    return table == null ? List.of() : table.history.toList();
  }

  /**
   * The record of {@code cmid} for {@code applicationId}, if the ledger remembers it; reads only.
   */
  public Optional<ClientRecord> client(Guid applicationId, Guid cmid) {
    Table table = tables.get(applicationId);
    Slot slot = table == null ? null : table.slots.get(cmid);
    return slot == null ? Optional.empty() : Optional.of(slot.toRecord());
  }

  /**
   * Whether the record of {@code cmid} is a suspected clone at {@code now} ({@link
   * CloneDetection#isClone}); reads only and allocates nothing, so a host can ask on every request.
   */
  public boolean isClone(Guid applicationId, Guid cmid, Instant now, Duration window) {
    Table table = tables.get(applicationId);
    Slot slot = table == null ? null : table.slots.get(cmid);
    return slot != null && slot.names.length > 1 && slot.seenAfter(now.minus(window));
  }

  /**
   * How many CMIDs of {@code applicationId} are suspected clones at {@code now} ({@link
   * CloneDetection#isClone}); reads only, allocates nothing, O(clients seen within the window).
   */
  public int cloneCount(Guid applicationId, Instant now, Duration window) {
    Table table = tables.get(applicationId);
    if (table == null) {
      return 0;
    }
    Instant cutoff = now.minus(window);
    int n = 0;
    for (int i = table.list.tail;
        i != NONE && slotAt[i].seenAfter(cutoff);
        i = byApplication.prev(i)) {
      if (slotAt[i].names.length > 1) {
        n++;
      }
    }
    return n;
  }

  /** The highest N policy counted for {@code applicationId}, or 0 if none was. */
  public int highestPolicy(Guid applicationId) {
    Table table = tables.get(applicationId);
    return table == null ? 0 : table.highestPolicy;
  }

  /** The count capacity of {@code applicationId}. */
  public int capacity(Guid applicationId) {
    return capacityFor(highestPolicy(applicationId));
  }

  /** The number of client records. */
  public int size() {
    return size;
  }

  /** The ledger's time: the latest time a change was applied at. */
  public Instant latest() {
    return latest;
  }

  /** An immutable copy of the whole ledger; reads only. */
  public LedgerState state() {
    List<LedgerState.Application> apps = new ArrayList<>(tables.size());
    for (Table table : tables.values()) {
      apps.add(
          new LedgerState.Application(
              table.applicationId, table.highestPolicy, table.history.toList()));
    }
    List<ClientRecord> clients = new ArrayList<>(size);
    for (int i = all.head; i != NONE; i = global.next(i)) {
      clients.add(slotAt[i].toRecord());
    }
    return new LedgerState(latest, apps, clients);
  }

  /**
   * Replaces the whole ledger with {@code state}, as a store's snapshot or an import holds it.
   *
   * @throws IllegalArgumentException if an application's counted records are not its most recently
   *     seen ones, or they are more than its capacity
   */
  public void restore(LedgerState state) {
    Objects.requireNonNull(state, "state");
    tables.clear();
    all.clear();
    Arrays.fill(slotAt, 0, usedIndices, null);
    usedIndices = 0;
    freeCount = 0;
    size = 0;
    latest = state.asOf();
    for (LedgerState.Application a : state.applications()) {
      Table table = new Table(a.applicationId());
      table.highestPolicy = a.highestPolicy();
      table.history.restore(a.history());
      tables.put(a.applicationId(), table);
    }
    for (ClientRecord c : state.clients()) {
      Table table = tables.get(c.applicationId());
      if (table.firstCounted != NONE && !c.inCount()) {
        throw new IllegalArgumentException(
            "client "
                + c.cmid()
                + " of application "
                + c.applicationId()
                + " is not counted but more recent than a counted one");
      }
      Slot slot = place(new Slot(table, c));
      table.slots.put(c.cmid(), slot);
      byApplication.append(table.list, slot.index);
      global.append(all, slot.index);
      size++;
      if (c.inCount()) {
        table.counted++;
        if (table.firstCounted == NONE) {
          table.firstCounted = slot.index;
        }
      }
      if (c.lastSeen().isAfter(latest)) {
        latest = c.lastSeen();
      }
    }
    for (Table table : tables.values()) {
      if (table.counted > capacityFor(table.highestPolicy)) {
        throw new IllegalArgumentException(
            "application "
                + table.applicationId
                + " has "
                + table.counted
                + " counted clients, more than its capacity "
                + capacityFor(table.highestPolicy));
      }
    }
  }

  private Instant advance(Instant now) {
    if (now.isAfter(latest)) {
      latest = now;
    }
    return latest;
  }

  private void trim(Instant now) {
    Instant forgotten = now.minus(limits.retention()); // seen at or before it: forget
    while (all.head != NONE
        && (size > limits.maxClients() || !slotAt[all.head].seenAfter(forgotten))) {
      Slot s = slotAt[all.head];
      Table table = s.table;
      if (s.inCount) {
        table.counted--;
      }
      unlink(table, s.index);
      global.unlink(all, s.index);
      table.slots.remove(s.cmid);
      release(s);
      size--;
    }
  }

  /** Gives {@code s} an index (a free one, or the next), in no list yet. */
  private Slot place(Slot s) {
    int i;
    if (freeCount > 0) {
      i = freeIndices[--freeCount];
    } else {
      i = usedIndices++;
      if (i == slotAt.length) {
        int capacity = slotAt.length * 2;
        slotAt = Arrays.copyOf(slotAt, capacity);
        freeIndices = Arrays.copyOf(freeIndices, capacity);
        global.grow(capacity);
        byApplication.grow(capacity);
      }
    }
    s.index = i;
    slotAt[i] = s;
    return s;
  }

  private void release(Slot s) {
    slotAt[s.index] = null;
    freeIndices[freeCount++] = s.index;
  }

  /** Takes index {@code i} out of its application's list, moving the count boundary past it. */
  private void unlink(Table table, int i) {
    if (table.firstCounted == i) {
      table.firstCounted = byApplication.next(i);
    }
    byApplication.unlink(table.list, i);
  }

  private void expire(Table table, Instant now) {
    Instant expired = now.minus(ACTIVE_WINDOW); // seen at or before it: no longer counted
    while (table.firstCounted != NONE && !slotAt[table.firstCounted].seenAfter(expired)) {
      dropFirstCounted(table);
    }
  }

  private void dropFirstCounted(Table table) {
    slotAt[table.firstCounted].inCount = false;
    table.counted--;
    table.firstCounted = byApplication.next(table.firstCounted);
  }

  /** One application's records and count. */
  private static final class Table {
    final Guid applicationId;
    final HashMap<Guid, Slot> slots = new HashMap<>();
    final IndexLists.Ends list = new IndexLists.Ends();

    /** The index of the oldest slot that holds a place in the count; every later slot does too. */
    int firstCounted = NONE;

    int counted;
    int highestPolicy;
    final CountHistory history = new CountHistory();

    Table(Guid applicationId) {
      this.applicationId = applicationId;
    }
  }

  /** A mutable record, so that a renewal allocates nothing. */
  private static final class Slot {
    final Table table;
    final Guid cmid;
    Instant firstSeen;

    /**
     * The last time seen, as the fields of an {@link Instant}: a renewal then stores no reference
     * into this long-lived object, which would dirty a card for the collector's concurrent
     * refinement on every request (see {@link #update}).
     */
    long seenSecond;

    int seenNano;

    long requestCount;
    boolean inCount;
    String workstationName;
    Guid skuId;
    Guid kmsCountedId;
    LicenseStatus licenseStatus;
    int requiredClientCount;
    Optional<InetSocketAddress> remote;
    String[] names;
    InetAddress[] addresses;

    /** Its place in {@code slotAt} and in the lists. */
    int index;

    Slot(Table table, Guid cmid, Instant firstSeen) {
      this.table = table;
      this.cmid = cmid;
      this.firstSeen = firstSeen;
      this.requestCount = 1;
      this.names = new String[0];
      this.addresses = new InetAddress[0];
    }

    Slot(Table table, ClientRecord c) {
      this.table = table;
      this.cmid = c.cmid();
      this.firstSeen = c.firstSeen();
      lastSeen(c.lastSeen());
      this.requestCount = c.requestCount();
      this.inCount = c.inCount();
      this.workstationName = c.workstationName();
      this.skuId = c.skuId();
      this.kmsCountedId = c.kmsCountedId();
      this.licenseStatus = c.licenseStatus();
      this.requiredClientCount = c.requiredClientCount();
      this.remote = c.remote();
      this.names = c.workstationNames().toArray(new String[0]);
      this.addresses = c.addresses().toArray(new InetAddress[0]);
    }

    Instant lastSeen() {
      return Instant.ofEpochSecond(seenSecond, seenNano);
    }

    void lastSeen(Instant t) {
      seenSecond = t.getEpochSecond();
      seenNano = t.getNano();
    }

    /** Whether this was last seen after {@code t}. */
    boolean seenAfter(Instant t) {
      long s = t.getEpochSecond();
      return seenSecond > s || (seenSecond == s && seenNano > t.getNano());
    }

    /**
     * Refreshes the record. A reference field is stored only when its value changed: a slot lives
     * long (in the old generation), and with G1 every reference stored into it dirties a card that
     * a concurrent refinement thread then scans, even when the new object equals the old one. A
     * renewal from the same machine with the same name and address stores none.
     */
    void update(HostChange.ClientSeen seen, Instant t) {
      lastSeen(t);
      if (!seen.workstationName().equals(workstationName)) {
        workstationName = seen.workstationName();
      }
      if (!seen.skuId().equals(skuId)) {
        skuId = seen.skuId();
      }
      if (!seen.kmsCountedId().equals(kmsCountedId)) {
        kmsCountedId = seen.kmsCountedId();
      }
      if (!seen.licenseStatus().equals(licenseStatus)) {
        licenseStatus = seen.licenseStatus();
      }
      requiredClientCount = seen.requiredClientCount();
      if (!seen.remote().equals(remote)) {
        remote = seen.remote();
      }
      String[] n = remember(names, seen.workstationName());
      if (n != names) {
        names = n;
      }
      if (seen.remote().isPresent()) {
        InetAddress[] a = remember(addresses, seen.remote().get().getAddress());
        if (a != addresses) {
          addresses = a;
        }
      }
    }

    /** The array with {@code value} last: unchanged when it already is, allocated otherwise. */
    private static <T> T[] remember(T[] seen, T value) {
      int n = seen.length;
      if (n > 0 && seen[n - 1].equals(value)) {
        return seen;
      }
      int at = -1;
      for (int i = 0; i < n; i++) {
        if (seen[i].equals(value)) {
          at = i;
          break;
        }
      }
      T[] out;
      if (at >= 0) {
        out = seen.clone();
        System.arraycopy(out, at + 1, out, at, n - at - 1);
      } else if (n < ClientRecord.MAX_SEEN) {
        out = Arrays.copyOf(seen, n + 1);
      } else {
        out = seen.clone();
        System.arraycopy(out, 1, out, 0, n - 1);
      }
      out[out.length - 1] = value;
      return out;
    }

    ClientRecord toRecord() {
      return new ClientRecord(
          cmid,
          table.applicationId,
          workstationName,
          skuId,
          kmsCountedId,
          licenseStatus,
          requiredClientCount,
          remote,
          firstSeen,
          lastSeen(),
          requestCount,
          inCount,
          Arrays.asList(names),
          Arrays.asList(addresses));
    }
  }
}
