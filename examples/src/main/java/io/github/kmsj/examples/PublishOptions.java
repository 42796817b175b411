package io.github.kmsj.examples;

import io.github.kmsj.dns.SrvPublisher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What an SRV publication needs, as {@code kmsj dns publish} ({@code --host}, {@code --server},
 * ...) and {@code kmsj host} ({@code --dns-host}, {@code --dns-server}, ...) take it; {@code
 * prefix} is how error messages name the options.
 */
record PublishOptions(
    String prefix,
    Optional<String> host,
    Optional<String> server,
    Optional<String> domain,
    int priority,
    int weight,
    Optional<Double> ttlSeconds,
    List<String> extra,
    Optional<String> tsigName,
    Optional<Path> tsigSecretFile) {

  /** A publisher for {@code port}, checking every option. */
  SrvPublisher.Builder publisher(int port, Duration timeout) {
    String host =
        this.host.orElseThrow(() -> new UsageException(opt("host") + " FQDN is required"));
    SrvPublisher.Builder b =
        SrvPublisher.builder()
            .hostName(host)
            .port(port)
            .priority(Options.range(opt("priority"), priority, 0, 65535))
            .weight(Options.range(opt("weight"), weight, 0, 65535))
            .ttl(ttlSeconds.map(s -> Options.seconds(opt("ttl"), s)).orElse(Duration.ofHours(1)))
            .timeout(timeout);
    server.ifPresent(s -> b.server(HostAddresses.parse(s, 53)));
    domain.ifPresent(b::homeDomain);
    for (String e : extra) {
      String[] parts = e.split(":", -1);
      if (parts.length != 3) {
        throw new UsageException(opt("extra") + " is DOMAIN:PRIORITY:WEIGHT: " + e);
      }
      try {
        b.extraDomain(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
      } catch (NumberFormatException ex) {
        throw new UsageException(opt("extra") + " priority and weight are numbers: " + e);
      }
    }
    if (tsigName.isPresent() != tsigSecretFile.isPresent()) {
      throw new UsageException(
          opt("tsig-name") + " and " + opt("tsig-secret-file") + " go together");
    }
    if (tsigName.isPresent()) {
      b.tsigKey(tsigName.get(), secret(tsigSecretFile.get()));
    }
    return b;
  }

  private String opt(String name) {
    return "--" + prefix + name;
  }

  private static String secret(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      throw new UsageException(
          "cannot read the TSIG secret from " + file + ": " + Kmsj.describe(e));
    }
  }
}
