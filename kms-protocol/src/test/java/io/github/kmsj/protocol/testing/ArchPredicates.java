package io.github.kmsj.protocol.testing;

import static com.tngtech.archunit.base.DescribedPredicate.describe;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import java.time.Clock;
import java.time.InstantSource;
import java.util.Set;

/**
 * ArchUnit predicates over accesses (calls, method references and field reads) shared by the
 * architecture tests of kms-protocol and kms-core.
 *
 * <p>They match {@link JavaAccess} rather than calls alone so that a method reference such as
 * {@code System::nanoTime} counts as a read of the clock too.
 */
public final class ArchPredicates {
  private static final Set<String> SYSTEM_CLOCK_FACTORIES =
      Set.of(
          "system", "systemUTC", "systemDefaultZone", "tickMillis", "tickSeconds", "tickMinutes");

  private ArchPredicates() {}

  /** An access to the member {@code name} of {@code owner} or of a subtype. */
  public static DescribedPredicate<JavaAccess<?>> access(String name, Class<?> owner) {
    return describe(
        owner.getSimpleName() + "." + name,
        a -> a.getName().equals(name) && a.getTargetOwner().isAssignableTo(owner));
  }

  /**
   * A read of the JVM's clocks: {@code System.currentTimeMillis} and {@code nanoTime}, any {@code
   * java.time} {@code now(...)}, and the factories of system-backed {@code Clock}s and {@code
   * InstantSource}s.
   */
  public static DescribedPredicate<JavaAccess<?>> readsSystemClock() {
    return access("currentTimeMillis", System.class)
        .or(access("nanoTime", System.class))
        .or(
            describe(
                "java.time's now(..)",
                a ->
                    a.getName().equals("now")
                        && a.getTargetOwner().getPackageName().equals("java.time")))
        .or(
            describe(
                "a system Clock or InstantSource",
                a ->
                    SYSTEM_CLOCK_FACTORIES.contains(a.getName())
                        && (a.getTargetOwner().isEquivalentTo(Clock.class)
                            || a.getTargetOwner().isEquivalentTo(InstantSource.class))));
  }
}
