package io.github.kmsj.core.transport;

/**
 * Cumulative transport counters and the current connection count of a {@link KmsServer}. Every
 * connection the server closes on its own initiative is counted under exactly one reason.
 *
 * @param openConnections connections open now
 * @param accepted connections accepted since start (not counting those refused at once)
 * @param refused connections closed at once because the allow-list did not admit their source
 * @param refusedByAddressLimit connections closed at once because their source address (IPv6: its
 *     /64) already held {@linkplain KmsServer.Builder#maxConnectionsPerAddress its limit}
 * @param evicted connections closed to make room at the connection cap: the oldest unbound one,
 *     else the longest idle one (when every connection has a call in flight none is evicted, and
 *     accepting pauses {@code EVICTION_SLACK} above the cap until one closes)
 * @param bindTimeouts connections closed because no bind completed within the {@linkplain
 *     KmsServer.Builder#bindTimeout bind timeout} of their accept
 * @param slowPduTimeouts connections closed because a PDU did not complete within the {@linkplain
 *     KmsServer.Builder#pduTimeout PDU timeout} of its first byte
 * @param idleClosed bound connections closed because no whole PDU arrived within the idle timeout
 * @param protocolErrors connections closed because their input did not decode
 * @param calls KMS calls answered
 */
public record ServerStats(
    int openConnections,
    long accepted,
    long refused,
    long refusedByAddressLimit,
    long evicted,
    long bindTimeouts,
    long slowPduTimeouts,
    long idleClosed,
    long protocolErrors,
    long calls) {}
