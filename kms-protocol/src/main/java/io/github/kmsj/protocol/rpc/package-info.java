/** See the module documentation. */
package io.github.kmsj.protocol.rpc;
