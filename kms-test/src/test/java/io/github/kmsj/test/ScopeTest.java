package io.github.kmsj.test;

import static io.github.kmsj.test.TestProduct.WINDOWS_10_PRO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.client.ActivationResult.BelowThreshold;
import io.github.kmsj.core.client.ActivationResult.TransportFailure;
import io.github.kmsj.core.client.Stage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How long a host lives: per test by default, per class on request; closed at the end. */
final class ScopeTest {

  /** A new host per test, closed after it: its server no longer accepts connections. */
  @Nested
  @KmsTest
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  final class PerTest {
    private final List<KmsTestHost> seen = new CopyOnWriteArrayList<>();

    @Test
    void first(KmsTestHost kms) {
      seen.add(kms);
    }

    @Test
    void second(KmsTestHost kms) {
      seen.add(kms);
    }

    @AfterAll
    void eachHostWasOwnAndIsClosed() {
      for (int i = 1; i < seen.size(); i++) {
        assertNotSame(seen.get(0), seen.get(i));
      }
      for (KmsTestHost kms : seen) {
        TransportFailure failure =
            assertInstanceOf(
                TransportFailure.class,
                kms.client().activate(kms.target(), kms.request(WINDOWS_10_PRO)));
        assertEquals(Stage.CONNECT, failure.stage());
      }
    }
  }

  /** One host for the class: a {@code @BeforeAll} parameter and each test's are the same. */
  @Nested
  @KmsTest(perClass = true, inProcess = true)
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  final class PerClass {
    private KmsTestHost shared;

    @BeforeAll
    void start(KmsTestHost kms) {
      shared = kms;
    }

    @Test
    void first(KmsTestHost kms) {
      assertSame(shared, kms);
    }

    @Test
    void second(KmsTestHost kms) {
      assertSame(shared, kms);
    }
  }

  /** A builder through {@code @RegisterExtension}: a file store in a directory deleted after. */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  final class Registered {
    @RegisterExtension
    final KmsHostExtension kms =
        KmsHostExtension.of(
            KmsTestHost.builder().inProcess().fileStore().renewalInterval(Duration.ofDays(1)));

    private final List<Path> directories = new CopyOnWriteArrayList<>();

    @Test
    void fileStore_inATemporaryDirectory(KmsTestHost kms) {
      Path dir = kms.storeDirectory().orElseThrow();
      directories.add(dir);
      assertTrue(Files.isDirectory(dir));
      assertInstanceOf(BelowThreshold.class, kms.activate(WINDOWS_10_PRO));
      assertEquals(Duration.ofDays(1), kms.host().renewalInterval());
    }

    @AfterAll
    void directoriesAreDeleted() {
      directories.forEach(d -> assertFalse(Files.exists(d), d::toString));
    }
  }
}
