/**
 * Time and threads for all of kms-core: a {@link io.github.kmsj.core.time.Ticker}, a {@link
 * io.github.kmsj.core.time.Scheduler} with its real ({@link
 * io.github.kmsj.core.time.Scheduler#system()}) and manual ({@link
 * io.github.kmsj.core.time.ManualScheduler}) implementations, and the one {@link
 * io.github.kmsj.core.time.DaemonThreadFactory}.
 */
package io.github.kmsj.core.time;
