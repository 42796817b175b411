package io.github.kmsj.protocol;

/**
 * Input that does not follow the wire format; names the field and the byte offset where decoding
 * failed.
 *
 * <p>The offset counts from the start of the structure being decoded (a PDU, a stub or a KMS
 * message), as {@link #structure()} says.
 */
public class MalformedPduException extends KmsProtocolException {
  private static final long serialVersionUID = 1L;

  /** The structure being decoded. */
  private final String structure;

  /** The wire field, named as in the spec. */
  private final String field;

  /** The byte offset of the field from the start of the structure. */
  private final int offset;

  /**
   * A malformed-input error in {@code structure} at byte {@code offset} while reading {@code
   * field}.
   */
  public MalformedPduException(String structure, String field, int offset, String detail) {
    super(structure + " field '" + field + "' at byte " + offset + ": " + detail);
    this.structure = structure;
    this.field = field;
    this.offset = offset;
  }

  /** The structure being decoded, for example {@code "bind"} or {@code "V6 request"}. */
  public String structure() {
    return structure;
  }

  /** The wire field, named as in the spec, for example {@code "frag_length"}. */
  public String field() {
    return field;
  }

  /** The byte offset of the field from the start of {@link #structure()}. */
  public int offset() {
    return offset;
  }
}
