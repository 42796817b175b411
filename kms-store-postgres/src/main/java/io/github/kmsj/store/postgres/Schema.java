package io.github.kmsj.store.postgres;

import io.github.kmsj.core.store.StoreException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The versioned schema: Flyway applies the migrations under {@code
 * io/github/kmsj/store/postgres/migration} that the database lacks, recorded in {@code
 * kmsj_schema_history}, under Flyway's own lock, so hosts starting together migrate once.
 */
final class Schema {
  static final String HISTORY_TABLE = "kmsj_schema_history";
  static final String LOCATION = "classpath:io/github/kmsj/store/postgres/migration";

  private Schema() {}

  /** Brings the schema to the latest version; returns how many migrations ran. */
  static int migrate(DataSource dataSource) {
    try {
      MigrateResult result =
          Flyway.configure(Schema.class.getClassLoader())
              .dataSource(dataSource)
              .locations(LOCATION)
              .table(HISTORY_TABLE)
              .failOnMissingLocations(true)
              .load()
              .migrate();
      return result.migrationsExecuted;
    } catch (FlywayException e) {
      throw new StoreException("cannot migrate the kmsj schema: " + e.getMessage(), e);
    }
  }
}
