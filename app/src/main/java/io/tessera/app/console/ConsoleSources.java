package io.tessera.app.console;

import io.tessera.listener.StudyIndex;
import io.tessera.routes.GroundedFindings;
import io.tessera.routes.JobProgress;
import io.tessera.routes.JobRecords;
import io.tessera.routes.Outbox;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * What the console shows, from the server's own stores: the study index, the job records, the outbox, the models and
 * listener counters (as the JSON API gives them), the folder the SEGs are written to, whether FHIR is served, and the
 * audit log, what grounding made of each study's report, and what each running job is doing now (null where nothing
 * keeps them).
 */
public record ConsoleSources(StudyIndex index, JobRecords jobs, Outbox outbox, Supplier<Object> models,
                             Supplier<Object> listener, Path results, boolean fhir, Path auditFile,
                             GroundedFindings groundedFindings, JobProgress progress) {}
