package io.github.kmsj.test;

import io.github.kmsj.core.client.KmsClient;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.time.ManualScheduler;
import java.lang.reflect.AnnotatedElement;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link KmsTest @KmsTest}: resolves parameters of type {@link
 * KmsTestHost}, {@link KmsHost}, {@link KmsClient} and {@link ManualScheduler} from one {@link
 * KmsTestHost}, started when a test first asks for it and closed when its scope ends: after the
 * test method (each repetition or parameterized invocation gets its own), or after the class when
 * {@linkplain #perClass() per class}. A parameter of a {@code @BeforeAll} method makes the host per
 * class too.
 *
 * <p>Two ways to register it:
 *
 * <pre>{@code
 * @KmsTest(inProcess = true)                         // settings from the annotation
 * final class CountTest { @Test void t(KmsTestHost kms) { ... } }
 *
 * @RegisterExtension                                 // settings from a builder
 * static final KmsHostExtension KMS =
 *     KmsHostExtension.of(KmsTestHost.builder().fileStore().renewalInterval(Duration.ofDays(1)));
 * }</pre>
 */
public final class KmsHostExtension implements ParameterResolver {
  private static final Set<Class<?>> TYPES =
      Set.of(KmsTestHost.class, KmsHost.class, KmsClient.class, ManualScheduler.class);

  private final KmsTestHost.Builder builder;
  private final boolean perClass;

  /** The extension {@link KmsTest @KmsTest} registers: settings from the nearest annotation. */
  public KmsHostExtension() {
    this(null, false);
  }

  private KmsHostExtension(KmsTestHost.Builder builder, boolean perClass) {
    this.builder = builder;
    this.perClass = perClass;
  }

  /**
   * An extension that starts each host with {@code builder}, one per test; the builder is read at
   * each start, so it must not be changed once tests run.
   */
  public static KmsHostExtension of(KmsTestHost.Builder builder) {
    return new KmsHostExtension(Objects.requireNonNull(builder, "builder"), false);
  }

  /** This extension with one host for every test of the class. */
  public KmsHostExtension perClass() {
    return new KmsHostExtension(builder, true);
  }

  /** Whether {@code parameter} is one of the four types this extension provides. */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return TYPES.contains(parameter.getParameter().getType());
  }

  /**
   * The host of the current scope, or its host, client or clock.
   *
   * @throws ParameterResolutionException for a {@link KmsClient} of an in-process host, or when the
   *     host cannot start
   */
  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    KmsTestHost host = host(context);
    if (type == KmsTestHost.class) {
      return host;
    }
    if (type == KmsHost.class) {
      return host.host();
    }
    if (type == ManualScheduler.class) {
      return host.time();
    }
    if (host.isInProcess()) {
      throw new ParameterResolutionException(
          "an in-process KmsTestHost has no KmsClient: ask for KmsTestHost and call activate()");
    }
    return host.client();
  }

  private KmsTestHost host(ExtensionContext context) {
    Optional<KmsTest> annotation = builder == null ? annotation(context) : Optional.empty();
    boolean classScope = perClass || annotation.map(KmsTest::perClass).orElse(false);
    ExtensionContext scope = context;
    while (classScope && scope.getTestMethod().isPresent() && scope.getParent().isPresent()) {
      scope = scope.getParent().get();
    }
    ExtensionContext.Store store =
        scope.getStore(ExtensionContext.Namespace.create(KmsHostExtension.class, this));
    try {
      return store
          .getOrComputeIfAbsent(
              "host",
              key -> new Resource((builder != null ? builder : fromAnnotation(annotation)).start()),
              Resource.class)
          .host();
    } catch (RuntimeException e) {
      throw new ParameterResolutionException("the KmsTestHost did not start: " + e.getMessage(), e);
    }
  }

  /** The {@code @KmsTest} nearest the test: on the method, its class, or an enclosing class. */
  private static Optional<KmsTest> annotation(ExtensionContext context) {
    for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
      Optional<AnnotatedElement> element = c.getElement();
      if (element.isPresent()) {
        Optional<KmsTest> found = AnnotationSupport.findAnnotation(element.get(), KmsTest.class);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  private static KmsTestHost.Builder fromAnnotation(Optional<KmsTest> annotation) {
    KmsTestHost.Builder b = KmsTestHost.builder();
    if (annotation.isEmpty()) {
      return b;
    }
    KmsTest a = annotation.get();
    if (a.inProcess()) {
      b.inProcess();
    }
    if (a.hostKeyGroups().length > 0) {
      b.hostKeyGroups(a.hostKeyGroups());
    }
    if (!a.activationInterval().isEmpty()) {
      b.activationInterval(duration(a.activationInterval(), "activationInterval"));
    }
    if (!a.renewalInterval().isEmpty()) {
      b.renewalInterval(duration(a.renewalInterval(), "renewalInterval"));
    }
    if (!a.start().isEmpty()) {
      try {
        b.startTime(Instant.parse(a.start()));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "@KmsTest(start) must be an ISO-8601 instant such as 2026-01-01T00:00:00Z: "
                + a.start(),
            e);
      }
    }
    if (a.fileStore()) {
      b.fileStore();
    }
    return b.seed(a.seed());
  }

  private static Duration duration(String text, String name) {
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "@KmsTest(" + name + ") must be an ISO-8601 duration such as PT2H or P7D: " + text, e);
    }
  }

  /** Closes the host when JUnit closes the store of its scope. */
  private record Resource(KmsTestHost host) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      host.close();
    }
  }
}
