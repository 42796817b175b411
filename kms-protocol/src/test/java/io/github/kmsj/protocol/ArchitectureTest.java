package io.github.kmsj.protocol;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameStartingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static io.github.kmsj.protocol.testing.ArchPredicates.access;
import static io.github.kmsj.protocol.testing.ArchPredicates.readsSystemClock;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.io.RandomAccessFile;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Random;
import java.util.Timer;
import java.util.TimerTask;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * kms-protocol is a pure codec, checked in its bytecode: bytes in, values out. Time and random
 * bytes are arguments; sockets, threads, files and logging belong to kms-core. Only main classes
 * are checked; tests may do anything.
 */
@AnalyzeClasses(
    packages = "io.github.kmsj.protocol",
    importOptions = ImportOption.DoNotIncludeTests.class)
final class ArchitectureTest {
  private static final String PROTOCOL = "io.github.kmsj.protocol..";

  @ArchTest
  static final ArchRule noSockets =
      noClasses()
          .that()
          .resideInAPackage(PROTOCOL)
          .should()
          .dependOnClassesThat(
              assignableTo(Socket.class)
                  .or(assignableTo(ServerSocket.class))
                  .or(assignableTo(DatagramSocket.class))
                  .or(resideInAPackage("java.nio.channels..")))
          .because(
              "kms-protocol is a pure codec (bytes in, values out): the transport in kms-core owns"
                  + " the sockets and feeds the decoders whatever bytes arrived");

  @ArchTest
  static final ArchRule noThreads =
      noClasses()
          .that()
          .resideInAPackage(PROTOCOL)
          .should()
          .dependOnClassesThat(
              assignableTo(Thread.class)
                  .or(assignableTo(Executor.class))
                  .or(
                      resideInAPackage("java.util.concurrent")
                          .and(simpleNameStartingWith("Executor")))
                  .or(assignableTo(ThreadFactory.class))
                  .or(assignableTo(CompletableFuture.class))
                  .or(belongToAnyOf(Timer.class, TimerTask.class)))
          .because(
              "kms-protocol is a pure codec (bytes in, values out): every call returns on the"
                  + " caller's thread, which kms-core chooses");

  @ArchTest
  static final ArchRule noClocks =
      noClasses()
          .that()
          .resideInAPackage(PROTOCOL)
          .should()
          .accessTargetWhere(readsSystemClock())
          .orShould()
          .dependOnClassesThat(assignableTo(InstantSource.class))
          .because(
              "kms-protocol is a pure codec (bytes in, values out): the time is an argument, read"
                  + " once per request by kms-core, so vectors replay at their fixed instant");

  @ArchTest
  static final ArchRule noLogging =
      noClasses()
          .that()
          .resideInAPackage(PROTOCOL)
          .should()
          .dependOnClassesThat(
              resideInAnyPackage("org.slf4j..", "java.util.logging..")
                  .or(belongToAnyOf(System.Logger.class, System.LoggerFinder.class)))
          .orShould()
          .accessField(System.class, "out")
          .orShould()
          .accessField(System.class, "err")
          .orShould()
          .accessTargetWhere(access("printStackTrace", Throwable.class))
          .because(
              "kms-protocol is a pure codec (bytes in, values out): outcomes are values and"
                  + " exceptions, and kms-core's host turns them into events for its listeners");

  @ArchTest
  static final ArchRule noGlobalRandomness =
      noClasses()
          .that()
          .resideInAPackage(PROTOCOL)
          .should()
          .accessTargetWhere(
              access("<init>", Random.class)
                  .or(access("getInstance", SecureRandom.class))
                  .or(access("getInstanceStrong", SecureRandom.class))
                  .or(access("random", Math.class))
                  .or(access("random", StrictMath.class))
                  .or(access("randomUUID", UUID.class))
                  .or(access("getDefault", RandomGenerator.class))
                  .or(access("of", RandomGenerator.class)))
          .orShould()
          .dependOnClassesThat(belongToAnyOf(ThreadLocalRandom.class, RandomGeneratorFactory.class))
          .because(
              "kms-protocol is a pure codec (bytes in, values out): salts, IVs and ePID bytes come"
                  + " from a generator the caller passes in, so test vectors reproduce");

  @ArchTest
  static final ArchRule noFiles =
      noClasses()
          .that()
          .resideInAPackage(PROTOCOL)
          .should()
          .dependOnClassesThat(
              resideInAPackage("java.nio.file..")
                  .or(resideInAPackage("java.io").and(simpleNameStartingWith("File")))
                  .or(belongToAnyOf(RandomAccessFile.class)))
          .because(
              "kms-protocol is a pure codec (bytes in, values out): storage, the catalog file and"
                  + " logs are kms-core's");

  @ArchTest
  static final ArchRule noUpperModules =
      noClasses()
          .that()
          .resideInAPackage(PROTOCOL)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.github.kmsj.core..",
              "io.github.kmsj.dns..",
              "io.github.kmsj.examples..",
              "io.github.kmsj.bench..",
              "org.xbill..")
          .because(
              "kms-protocol is the bottom module, a pure codec (bytes in, values out) on the JDK"
                  + " alone: it never learns that kms-core, kms-dns or dnsjava exist");

  @ArchTest
  static final ArchRule noBouncyCastleAtRunTime =
      noClasses()
          .that()
          .resideInAPackage(PROTOCOL)
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.bouncycastle..")
          .because(
              "Bouncy Castle is a test-scope oracle for our own ciphers: a consumer of kms-protocol"
                  + " gets no 8 MB provider jar");

  @ArchTest
  static final ArchRule noPackageCycles =
      slices()
          .matching("io.github.kmsj.protocol.(*)..")
          .should()
          .beFreeOfCycles()
          .because(
              "each step of the codec (rpc framing, ndr, message, crypto) is a plain call a test"
                  + " can make on its own, which a cycle between packages would prevent");
}
