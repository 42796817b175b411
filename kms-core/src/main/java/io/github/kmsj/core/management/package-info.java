/**
 * Host management: the request counters and current counts as a JMX MXBean named after the
 * properties of WMI's {@code SoftwareLicensingService} class, a snapshot of the same values, and a
 * readiness check that performs a real activation RPC with the reserved probe CMID.
 */
package io.github.kmsj.core.management;
