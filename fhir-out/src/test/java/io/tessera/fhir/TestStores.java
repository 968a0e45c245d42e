package io.tessera.fhir;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

/** An embedded H2 database under a test folder with the FHIR store's migration applied, as the index database has it. */
final class TestStores {
    private TestStores() {}

    static DataSource database(Path dir) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("index").toAbsolutePath() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        Flyway.configure().dataSource(ds).locations("classpath:io/tessera/db").load().migrate();
        return ds;
    }

    static FhirRepository repository(Path dir) {
        return new FhirRepository(database(dir));
    }
}
