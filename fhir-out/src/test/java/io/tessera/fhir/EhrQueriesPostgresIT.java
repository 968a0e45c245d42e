package io.tessera.fhir;

import io.tessera.testkit.PostgresPeer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.postgresql.ds.PGSimpleDataSource;

/** {@link EhrQueriesIT} with the FHIR store on a real PostgreSQL server, as a distributed installation runs it. */
class EhrQueriesPostgresIT extends EhrQueriesIT {
    @BeforeAll
    static void start() throws Exception { // hides EhrQueriesIT.start: only this one runs
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(PostgresPeer.sharedSchemaUrl(PostgresPeer.USER));
        ds.setUser(PostgresPeer.USER);
        Flyway.configure().dataSource(ds).locations("classpath:io/tessera/db").load().migrate();
        startOn(ds);
    }
}
