/**
 * Test support shared with kms-core through the test-jar: the golden-vector loader, input mutations
 * and the predicates of the architecture tests.
 */
package io.github.kmsj.protocol.testing;
