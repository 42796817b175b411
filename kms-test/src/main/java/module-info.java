/**
 * The kmsj test kit: a JUnit 5 extension ({@link io.github.kmsj.test.KmsTest}, {@link
 * io.github.kmsj.test.KmsHostExtension}) that hands a test a running KMS host, a client pointed at
 * it and one manual clock they share, and product fixtures from the built-in catalog ({@link
 * io.github.kmsj.test.TestProduct}).
 */
module io.github.kmsj.test {
  requires transitive io.github.kmsj.core;
  requires transitive org.junit.jupiter.api;

  exports io.github.kmsj.test;
}
