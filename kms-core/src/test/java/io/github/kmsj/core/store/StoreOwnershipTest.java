package io.github.kmsj.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.ledger.HostIdentity;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host owns its store: a build that fails closes it, so the directory's lock is released. */
final class StoreOwnershipTest {
  @Test
  void build_identityMismatch_closesStoreAndReleasesLock(@TempDir Path dir) {
    KmsHost first = KmsHost.builder().store(FileHostStore.builder().directory(dir).build()).build();
    HostIdentity stored = first.identity();
    first.close();
    HostIdentity other = KmsHost.builder().random(new SplittableRandom(9)).build().identity();

    assertThrows(
        IllegalArgumentException.class,
        () ->
            KmsHost.builder()
                .identity(other)
                .store(FileHostStore.builder().directory(dir).build())
                .build());

    KmsHost again = KmsHost.builder().store(FileHostStore.builder().directory(dir).build()).build();
    assertEquals(stored, again.identity(), "the directory opens again and kept its identity");
    again.close();
  }
}
