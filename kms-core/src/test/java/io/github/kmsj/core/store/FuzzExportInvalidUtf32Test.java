package io.github.kmsj.core.store;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * Found by {@code StoreReadersFuzzTest#export_anyJson}: an export that starts with zero bytes makes
 * Jackson read it as UTF-32, and a code point above U+10FFFF then surfaced from {@link
 * HostStateExporter#read} as a {@link CharConversionException}, an {@link IOException} that says
 * the stream failed, instead of a {@link StoreException} that says the content is bad. The input is
 * {@code FuzzExportInvalidUtf32Test.json} beside this class.
 */
final class FuzzExportInvalidUtf32Test {

  @Test
  void read_exportDecodedAsInvalidUtf32_failsWithStoreException() throws IOException {
    byte[] input;
    try (InputStream in = getClass().getResourceAsStream("FuzzExportInvalidUtf32Test.json")) {
      assertNotNull(in);
      input = in.readAllBytes();
    }
    StoreException e =
        assertThrows(
            StoreException.class,
            () -> new HostStateExporter().read(new ByteArrayInputStream(input)));
    assertTrue(e.getMessage().startsWith("host state is not valid JSON: "), e.getMessage());
    assertInstanceOf(CharConversionException.class, e.getCause());
  }
}
