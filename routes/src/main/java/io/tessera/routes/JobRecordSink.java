package io.tessera.routes;

/** Where the job runner records each job's provenance and outcome: {@link JobRecords}, or {@link #NONE}. */
public interface JobRecordSink {
    /** Keeps nothing (a runner without a job record). */
    JobRecordSink NONE = r -> {};

    void record(JobRecords.JobRecord r);
}
