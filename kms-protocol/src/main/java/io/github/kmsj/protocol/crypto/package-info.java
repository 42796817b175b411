/**
 * The KMS ciphers and hashes (docs/PROTOCOL.md §6): the V5 and V6 AES-128 variants with CBC ({@link
 * io.github.kmsj.protocol.crypto.KmsCipher}), the V4 CBC-MAC ({@link
 * io.github.kmsj.protocol.crypto.V4Hash}), PKCS#7 padding and the V6 SHA-256/HMAC. Pure functions
 * over byte arrays: keys, IVs and times are arguments, and nothing here holds mutable state.
 */
package io.github.kmsj.protocol.crypto;
