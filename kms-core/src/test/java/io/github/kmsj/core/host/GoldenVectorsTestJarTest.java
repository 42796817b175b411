package io.github.kmsj.core.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.protocol.testing.GoldenVector;
import io.github.kmsj.protocol.testing.GoldenVectors;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The golden vectors reach kms-core through kms-protocol's test-jar (a jar in a reactor build that
 * packages, a directory in an IDE): both must give the whole recorded set.
 */
final class GoldenVectorsTestJarTest {
  /** Exchange files recorded (kms-protocol's vectors/README.md, "Verification status"). */
  private static final int RECORDED_EXCHANGES = 40;

  @Test
  void all_throughTheTestJar_givesEveryRecordedExchange() {
    List<GoldenVector> all = GoldenVectors.all();

    assertEquals(RECORDED_EXCHANGES, all.size(), "from " + GoldenVectors.vectorsDir().toUri());
    assertTrue(Files.isRegularFile(GoldenVectors.knownAnswersFile()));
    assertEquals("vlmcsd/v6-ndr32-nobtfn", GoldenVectors.load("vlmcsd/v6-ndr32-nobtfn").name());
  }
}
