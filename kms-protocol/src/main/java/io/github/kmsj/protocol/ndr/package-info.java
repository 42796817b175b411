/** NDR32 and NDR64 stubs of the KMS RequestActivation operation (docs/PROTOCOL.md §4). */
package io.github.kmsj.protocol.ndr;
