/** kms-core's exception root, {@link io.github.kmsj.core.KmsCoreException}. */
package io.github.kmsj.core;
