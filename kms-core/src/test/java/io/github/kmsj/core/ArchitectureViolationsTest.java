package io.github.kmsj.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.github.kmsj.core.time.DaemonThreadFactory;
import io.github.kmsj.core.time.Ticker;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * {@link ArchitectureTest}'s rules fail on classes that break them, so a green run means something:
 * each rule is evaluated against small test classes that break it on purpose.
 */
final class ArchitectureViolationsTest {

  static final class ReadsNanoTime {
    long elapsed(long start) {
      return System.nanoTime() - start;
    }
  }

  static final class ReferencesTheWallClock {
    LongSupplier millis = System::currentTimeMillis;
  }

  static final class StartsAThread {
    void start(Runnable task) {
      new Thread(task).start();
    }
  }

  static final class UsesTheDefaultThreadFactory {
    ExecutorService executor = Executors.newSingleThreadExecutor();
  }

  static final class UsesCoreTime {
    long elapsed(Ticker ticker, long start) {
      return ticker.read() - start;
    }

    ExecutorService executor() {
      return Executors.newSingleThreadExecutor(DaemonThreadFactory.named("kmsj-test"));
    }
  }

  @Test
  void clockRule_callOfNanoTime_isReported() {
    assertViolation(
        ArchitectureTest.onlyCoreTimeReadsTheClock, "System.nanoTime()", ReadsNanoTime.class);
  }

  @Test
  void clockRule_methodReferenceToCurrentTimeMillis_isReported() {
    assertViolation(
        ArchitectureTest.onlyCoreTimeReadsTheClock,
        "System.currentTimeMillis()",
        ReferencesTheWallClock.class);
  }

  @Test
  void threadRule_newThread_isReported() {
    assertViolation(
        ArchitectureTest.onlyCoreTimeMakesThreads, "Thread.<init>", StartsAThread.class);
  }

  @Test
  void threadRule_executorWithoutThreadFactory_isReported() {
    assertViolation(
        ArchitectureTest.onlyCoreTimeMakesThreads,
        "Executors.newSingleThreadExecutor()",
        UsesTheDefaultThreadFactory.class);
  }

  @Test
  void clockAndThreadRules_tickerAndDaemonThreadFactory_pass() {
    JavaClasses classes = new ClassFileImporter().importClasses(UsesCoreTime.class);
    assertFalse(ArchitectureTest.onlyCoreTimeReadsTheClock.evaluate(classes).hasViolation());
    assertFalse(ArchitectureTest.onlyCoreTimeMakesThreads.evaluate(classes).hasViolation());
  }

  @Test
  void clockRule_noClassesToCheck_failsInsteadOfPassing() {
    // Without .allowEmptyShould(true), a rule whose that() matches nothing (a renamed package)
    // fails instead of passing vacuously.
    JavaClasses none = new ClassFileImporter().importClasses();
    AssertionError error =
        assertThrows(
            AssertionError.class, () -> ArchitectureTest.onlyCoreTimeReadsTheClock.evaluate(none));
    assertTrue(error.getMessage().contains("failed to check any classes"), error.getMessage());
  }

  // The ledger and policy rules allow an empty package until the lead's refactor adds one; these
  // show that they still fail once a class there breaks them.

  @Test
  void ledgerRule_ledgerClassUsingTheCatalog_isReported() throws ClassNotFoundException {
    assertViolation(
        ArchitectureTest.ledgerDependsOnlyOnProtocolRootAndTime,
        "ProductCatalog",
        Class.forName("io.github.kmsj.core.ledger.LedgerReadingTheCatalog"));
  }

  @Test
  void policyRules_lockingPolicyReadingTheTime_isReported() throws ClassNotFoundException {
    Class<?> policy = Class.forName("io.github.kmsj.core.policy.LockingPolicy");
    assertViolation(ArchitectureTest.policyIsPure, "ReentrantLock", policy);
    assertViolation(ArchitectureTest.policyIsPure, "Scheduler", policy);
    assertViolation(
        ArchitectureTest.policyDependsOnlyOnProtocolCatalogLedgerAndRoot, "Scheduler", policy);
  }

  private static void assertViolation(ArchRule rule, String expected, Class<?>... violators) {
    EvaluationResult result = rule.evaluate(new ClassFileImporter().importClasses(violators));
    assertTrue(result.hasViolation(), "no violation reported by " + rule.getDescription());
    String report = String.join("\n", result.getFailureReport().getDetails());
    assertTrue(report.contains(expected), "expected " + expected + " in:\n" + report);
  }
}
