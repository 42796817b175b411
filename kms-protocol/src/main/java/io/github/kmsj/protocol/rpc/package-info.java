/**
 * DCE/RPC connection-oriented PDUs as KMS uses them ([C706] chapter 12, [MS-RPCE] 2.2.2): framing
 * by {@code frag_length}, bind and alter_context negotiation, requests, responses and faults.
 */
package io.github.kmsj.protocol.rpc;
