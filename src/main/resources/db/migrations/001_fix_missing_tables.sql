-- Migration 001: Fix missing tables
-- Description: Create cultural_knowledge and query_clusters, which the application expects but were never created
-- Dependencies: none
--
-- Intent: both tables are tenant-scoped and back the assistant: cultural_knowledge
-- is a curated knowledge base (full-text searchable, optional embedding stored
-- as real[]), query_clusters groups similar user queries (centroid as real[]).
-- set_updated_at() is (re)defined here with the same body as in 007 so this
-- file has no dependency; CREATE OR REPLACE keeps it idempotent.

CREATE OR REPLACE FUNCTION set_updated_at()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TABLE IF NOT EXISTS cultural_knowledge (
    id              uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id       uuid        NOT NULL,
    category        text        NOT NULL DEFAULT 'general',
    title           text        NOT NULL,
    content         text        NOT NULL,
    language_code   text        NOT NULL DEFAULT 'und',
    region          text,
    source          text,
    source_url      text,
    tags            text[]      NOT NULL DEFAULT '{}',
    confidence      real,
    embedding       real[],
    embedding_model text,
    is_active       boolean     NOT NULL DEFAULT true,
    metadata        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    created_by      uuid,
    updated_by      uuid,
    search_vector   tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('simple', coalesce(content, '')), 'B')
    ) STORED,
    CONSTRAINT cultural_knowledge_pkey PRIMARY KEY (id),
    CONSTRAINT cultural_knowledge_tenant_title_key UNIQUE (tenant_id, category, language_code, title),
    CONSTRAINT cultural_knowledge_title_not_blank CHECK (btrim(title) <> ''),
    CONSTRAINT cultural_knowledge_category_not_blank CHECK (btrim(category) <> ''),
    CONSTRAINT cultural_knowledge_language_code_check
        CHECK (language_code ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'),
    CONSTRAINT cultural_knowledge_confidence_check
        CHECK (confidence IS NULL OR (confidence >= 0 AND confidence <= 1)),
    CONSTRAINT cultural_knowledge_embedding_check
        CHECK (embedding IS NULL OR (array_ndims(embedding) = 1 AND cardinality(embedding) > 0)),
    CONSTRAINT cultural_knowledge_metadata_is_object CHECK (jsonb_typeof(metadata) = 'object')
);

CREATE INDEX IF NOT EXISTS cultural_knowledge_tenant_category_idx
    ON cultural_knowledge (tenant_id, category) WHERE is_active;
CREATE INDEX IF NOT EXISTS cultural_knowledge_tags_idx
    ON cultural_knowledge USING gin (tags);
CREATE INDEX IF NOT EXISTS cultural_knowledge_search_vector_idx
    ON cultural_knowledge USING gin (search_vector);

CREATE TABLE IF NOT EXISTS query_clusters (
    id                    uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id             uuid        NOT NULL,
    label                 text        NOT NULL,
    description           text,
    representative_query  text,
    sample_queries        text[]      NOT NULL DEFAULT '{}',
    query_count           integer     NOT NULL DEFAULT 0,
    centroid              real[],
    embedding_model       text,
    avg_similarity        real,
    status                text        NOT NULL DEFAULT 'active',
    last_seen_at          timestamptz,
    metadata              jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    created_by            uuid,
    updated_by            uuid,
    CONSTRAINT query_clusters_pkey PRIMARY KEY (id),
    CONSTRAINT query_clusters_tenant_label_key UNIQUE (tenant_id, label),
    CONSTRAINT query_clusters_label_not_blank CHECK (btrim(label) <> ''),
    CONSTRAINT query_clusters_status_check CHECK (status IN ('active', 'merged', 'archived')),
    CONSTRAINT query_clusters_query_count_check CHECK (query_count >= 0),
    CONSTRAINT query_clusters_avg_similarity_check
        CHECK (avg_similarity IS NULL OR (avg_similarity >= -1 AND avg_similarity <= 1)),
    CONSTRAINT query_clusters_centroid_check
        CHECK (centroid IS NULL OR (array_ndims(centroid) = 1 AND cardinality(centroid) > 0)),
    CONSTRAINT query_clusters_metadata_is_object CHECK (jsonb_typeof(metadata) = 'object')
);

CREATE INDEX IF NOT EXISTS query_clusters_tenant_status_idx
    ON query_clusters (tenant_id, status);
CREATE INDEX IF NOT EXISTS query_clusters_tenant_last_seen_idx
    ON query_clusters (tenant_id, last_seen_at DESC);

DROP TRIGGER IF EXISTS cultural_knowledge_set_updated_at ON cultural_knowledge;
CREATE TRIGGER cultural_knowledge_set_updated_at
    BEFORE UPDATE ON cultural_knowledge
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

DROP TRIGGER IF EXISTS query_clusters_set_updated_at ON query_clusters;
CREATE TRIGGER query_clusters_set_updated_at
    BEFORE UPDATE ON query_clusters
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE cultural_knowledge IS 'Tenant-scoped cultural knowledge base used by the assistant (FTS + optional real[] embedding).';
COMMENT ON TABLE query_clusters IS 'Clusters of similar user queries per tenant (centroid stored as real[]).';
