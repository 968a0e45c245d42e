-- The findings of a study's report as grounding saw them, per study version and source series: the sentence, what
-- and where it names, whether it was located (and how, how large, how sure) or why not. The console shows them on the
-- study page; the SEG, SR and FHIR Observations remain the results. Plain SQL for H2 and PostgreSQL.
CREATE TABLE IF NOT EXISTS grounded_findings (
    study_uid      VARCHAR(64)   NOT NULL,
    study_version  INT           NOT NULL,
    series_uid     VARCHAR(64)   NOT NULL,
    finding_index  INT           NOT NULL,
    tracking_id    VARCHAR(400)  NOT NULL,
    tracking_uid   VARCHAR(64)   NOT NULL,
    phrase         VARCHAR(4000) NOT NULL,
    finding        VARCHAR(200)  NOT NULL,
    site           VARCHAR(200),
    grounded       BOOLEAN       NOT NULL,
    reason         VARCHAR(4000),
    method         VARCHAR(400),
    confidence     DOUBLE PRECISION,
    diameter_mm    DOUBLE PRECISION,
    volume_ml      DOUBLE PRECISION,
    grounding_seg  VARCHAR(64),
    PRIMARY KEY (study_uid, study_version, series_uid, finding_index)
);
