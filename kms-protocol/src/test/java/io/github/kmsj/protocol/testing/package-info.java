/** Test support shared with kms-core through the test-jar: the golden-vector loader. */
package io.github.kmsj.protocol.testing;
