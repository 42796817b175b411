package io.github.kmsj.core;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static io.github.kmsj.protocol.testing.ArchPredicates.access;
import static io.github.kmsj.protocol.testing.ArchPredicates.readsSystemClock;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget.CodeUnitAccessTarget;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * kms-core's layering, checked in its bytecode (main classes only): dependencies point down, each
 * package knows only the ones below it, and one package owns time and threads.
 *
 * <pre>
 *   admin                           live administration of a running host (view, settings, audit)
 *   host, client, management        the edge: read the clock once, wire everything together
 *   transport   store   policy      sockets | persistence | the pure host policy
 *           ledger                  identity, client records, host state, changes
 *   catalog   time   (root)         product data | Ticker, Scheduler, threads | KmsCoreException
 * </pre>
 *
 * <p>The rules are package-private so that {@code ArchitectureViolationsTest} can show each kind
 * fails on a class that breaks it.
 */
@AnalyzeClasses(
    packages = "io.github.kmsj.core",
    importOptions = ImportOption.DoNotIncludeTests.class)
final class ArchitectureTest {
  private static final String CORE = "io.github.kmsj.core..";
  private static final String ADMIN = "io.github.kmsj.core.admin..";
  private static final String ROOT = "io.github.kmsj.core";
  private static final String PROTOCOL = "io.github.kmsj.protocol..";
  private static final String CATALOG = "io.github.kmsj.core.catalog..";
  private static final String CLIENT = "io.github.kmsj.core.client..";
  private static final String HOST = "io.github.kmsj.core.host..";
  private static final String LEDGER = "io.github.kmsj.core.ledger..";
  private static final String MANAGEMENT = "io.github.kmsj.core.management..";
  private static final String POLICY = "io.github.kmsj.core.policy..";
  private static final String STORE = "io.github.kmsj.core.store..";
  private static final String TIME = "io.github.kmsj.core.time..";
  private static final String TRANSPORT = "io.github.kmsj.core.transport..";

  @ArchTest
  static final ArchRule noPackageCycles =
      slices()
          .matching("io.github.kmsj.core.(*)..")
          .should()
          .beFreeOfCycles()
          .because("dependencies point down only, so each package can be built and tested alone");

  @ArchTest
  static final ArchRule noUpperModules =
      noClasses()
          .that()
          .resideInAPackage(CORE)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.github.kmsj.dns..",
              "io.github.kmsj.examples..",
              "io.github.kmsj.bench..",
              "org.xbill..")
          .because(
              "a lower module never learns that an upper one (kms-dns, examples, bench) exists");

  @ArchTest
  static final ArchRule timeDependsOnNoOtherKmsjPackage =
      noClasses()
          .that()
          .resideInAPackage(TIME)
          .should()
          .dependOnClassesThat(
              resideInAPackage("io.github.kmsj..")
                  .and(DescribedPredicate.not(resideInAPackage(TIME))))
          .because(
              "time is the bottom of kms-core: everything may take a Scheduler, so it takes nothing");

  // core.ledger does not exist yet: allowEmptyShould keeps the rule from failing for want of
  // classes until the lead's refactor adds it. ArchitectureViolationsTest shows it still bites.
  @ArchTest
  static final ArchRule ledgerDependsOnlyOnProtocolRootAndTime =
      classes()
          .that()
          .resideInAPackage(LEDGER)
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage("java..", PROTOCOL, ROOT, TIME, LEDGER)
          .allowEmptyShould(true)
          .because(
              "the ledger (identity, client records, host state, changes) is the data that policy,"
                  + " store and host share, so it can know none of them");

  // core.policy does not exist yet: see ledgerDependsOnlyOnProtocolRootAndTime.
  @ArchTest
  static final ArchRule policyDependsOnlyOnProtocolCatalogLedgerAndRoot =
      classes()
          .that()
          .resideInAPackage(POLICY)
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage("java..", PROTOCOL, CATALOG, LEDGER, ROOT, POLICY)
          .allowEmptyShould(true)
          .because(
              "the host policy is a pure function of the request, the catalog, the ledger and the"
                  + " instant it is given");

  // core.policy does not exist yet: see ledgerDependsOnlyOnProtocolRootAndTime.
  @ArchTest
  static final ArchRule policyIsPure =
      noClasses()
          .that()
          .resideInAPackage(POLICY)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(STORE, TRANSPORT, TIME, "java.util.concurrent.locks..")
          .allowEmptyShould(true)
          .because(
              "the host policy is pure: it neither stores, nor talks to sockets, nor reads the time,"
                  + " nor locks; the host around it does");

  @ArchTest
  static final ArchRule adminIsTheTop =
      noClasses()
          .that()
          .resideInAPackage(CORE)
          .and()
          .resideOutsideOfPackage(ADMIN)
          .should()
          .dependOnClassesThat()
          .resideInAPackage(ADMIN)
          .because(
              "the admin surface drives host, transport, store and management; none of them knows"
                  + " it exists");

  @ArchTest
  static final ArchRule storeKnowsNothingAboveIt =
      noClasses()
          .that()
          .resideInAPackage(STORE)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(HOST, TRANSPORT, CLIENT, MANAGEMENT)
          .because("persistence stores the ledger's values; the host drives it, never the reverse");

  @ArchTest
  static final ArchRule transportKnowsNothingAboveIt =
      noClasses()
          .that()
          .resideInAPackage(TRANSPORT)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(HOST, STORE, LEDGER, CLIENT, MANAGEMENT)
          .because(
              "the transport moves bytes and whole calls to a CallHandler; what a call means is the"
                  + " host's business");

  @ArchTest
  static final ArchRule catalogDependsOnNoOtherCorePackage =
      noClasses()
          .that()
          .resideInAPackage(CATALOG)
          .should()
          .dependOnClassesThat(
              resideInAPackage(CORE)
                  .and(DescribedPredicate.not(resideInAPackage(ROOT)))
                  .and(DescribedPredicate.not(resideInAPackage(CATALOG))))
          .because(
              "the catalog is product data that host, policy and client read; it reads none of them");

  // No exceptions: a latency, a deadline or a builder's default clock can each take core.time's
  // Ticker or Scheduler instead.
  @ArchTest
  static final ArchRule onlyCoreTimeReadsTheClock =
      noClasses()
          .that()
          .resideInAPackage(CORE)
          .and()
          .resideOutsideOfPackage(TIME)
          .should()
          .accessTargetWhere(readsSystemClock())
          .because(
              "one time abstraction (core.time's Ticker and Scheduler) is injected everywhere, so a"
                  + " test or a simulator replaces real time with one ManualScheduler");

  @ArchTest
  static final ArchRule onlyCoreTimeMakesThreads =
      noClasses()
          .that()
          .resideInAPackage(CORE)
          .and()
          .resideOutsideOfPackage(TIME)
          .should()
          .accessTargetWhere(makesThreads())
          .because(
              "one thread factory, core.time.DaemonThreadFactory, names kmsj's threads and keeps"
                  + " them daemon, so kmsj never keeps a JVM alive");

  /**
   * {@code new Thread(..)} (or {@code Thread::new}), and the JDK's thread pools and factories that
   * make threads of their own (non-daemon ones) because no {@link ThreadFactory} is given.
   */
  static DescribedPredicate<JavaAccess<?>> makesThreads() {
    return access("<init>", Thread.class)
        .or(access("defaultThreadFactory", Executors.class))
        .or(access("privilegedThreadFactory", Executors.class))
        .or(
            describe(
                "Executors.new*(..) or new ThreadPoolExecutor(..) without a ThreadFactory",
                a ->
                    ((a.getName().startsWith("new")
                                && a.getTargetOwner().isEquivalentTo(Executors.class))
                            || (a.getName().equals("<init>")
                                && a.getTargetOwner().isAssignableTo(ThreadPoolExecutor.class)))
                        && !takesThreadFactory(a)));
  }

  private static boolean takesThreadFactory(JavaAccess<?> a) {
    return a.getTarget() instanceof CodeUnitAccessTarget target
        && target.getRawParameterTypes().stream()
            .anyMatch(type -> type.isAssignableTo(ThreadFactory.class));
  }
}
