-- Every DICOM result object of a job, not only the first: a classifier writes one SR per image of a series, and the
-- job record's seg_sop_uid keeps the first of them. Replaced with the job record (same key). Plain SQL for H2 and
-- PostgreSQL.
CREATE TABLE IF NOT EXISTS job_results (
    study_uid      VARCHAR(64)  NOT NULL,
    study_version  INT          NOT NULL,
    series_uid     VARCHAR(64)  NOT NULL,
    route          VARCHAR(128) NOT NULL,
    model          VARCHAR(128) NOT NULL,
    result_index   INT          NOT NULL,
    sop_uid        VARCHAR(64)  NOT NULL,
    PRIMARY KEY (study_uid, study_version, series_uid, route, model, result_index)
);
