/** A program that uses kmsj as a library, on the module path. */
module com.example.consumer {
  requires io.github.kmsj.core;

  exports com.example.consumer;
}
