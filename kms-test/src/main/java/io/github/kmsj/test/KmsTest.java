package io.github.kmsj.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class (or one test method) a {@link KmsTestHost}: declare a parameter of type {@link
 * KmsTestHost}, {@link io.github.kmsj.core.host.KmsHost}, {@link
 * io.github.kmsj.core.client.KmsClient} or {@link io.github.kmsj.core.time.ManualScheduler} and
 * {@link KmsHostExtension} injects it, started on first use and closed after the test (or after the
 * class, with {@link #perClass()}). Every parameter of one test comes from the same host.
 *
 * <p>For settings an annotation cannot hold (a store supplier, a listener), register {@link
 * KmsHostExtension#of} with {@code @RegisterExtension} instead; use one or the other in a class.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(KmsHostExtension.class)
public @interface KmsTest {
  /** Whether requests go through {@code InProcessActivation}, without a server or client. */
  boolean inProcess() default false;

  /** The host-key group IDs; empty for kms-core's default (Windows Server 2025, every Office). */
  String[] hostKeyGroups() default {};

  /** The activation interval, ISO-8601 ({@code "PT2H"}); empty for the default, 120 min. */
  String activationInterval() default "";

  /** The renewal interval, ISO-8601 ({@code "P7D"}); empty for the default, 7 days. */
  String renewalInterval() default "";

  /** The virtual start time, ISO-8601 ({@code "2026-01-01T00:00:00Z"}); empty for the default. */
  String start() default "";

  /** The seed of ePIDs, salts and CMIDs. */
  long seed() default KmsTestHost.DEFAULT_SEED;

  /** Whether the host keeps its state in a file store in a temporary directory (default none). */
  boolean fileStore() default false;

  /** Whether one host serves every test of the class instead of a new host per test. */
  boolean perClass() default false;
}
