package io.github.kmsj.core.transport;

/**
 * Cumulative transport counters and the current connection count of a {@link KmsServer}.
 *
 * @param openConnections connections open now
 * @param accepted connections accepted since start
 * @param refused connections closed at once because the allow-list did not admit their source
 * @param idleClosed connections closed by the idle timeout
 * @param protocolErrors connections closed because their input did not decode
 * @param calls KMS calls answered
 */
public record ServerStats(
    int openConnections,
    long accepted,
    long refused,
    long idleClosed,
    long protocolErrors,
    long calls) {}
