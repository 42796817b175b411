/** NDR32 and NDR64 stubs of the KMS RequestActivation operation (PROTOCOL.md §4). */
package io.github.kmsj.protocol.ndr;
