-- Migration 014: Knowledge graph tables
-- Description: Create kg_entities and kg_relationships (tenant-scoped directed, typed edges)
-- Dependencies: none
--
-- Intent: entities extracted from documents and CRM data, de-duplicated per
-- tenant on (entity_type, normalized_name) so the extractor can upsert with
-- ON CONFLICT. Relationships are directed edges between two entities of the
-- same tenant (composite foreign keys), one edge per (source, target, type).
-- Provenance (source_document_id / source_chunk_id) is kept without a foreign
-- key on purpose: this file must not depend on 013.
-- set_updated_at() has the same body as in 007 (CREATE OR REPLACE, idempotent).

CREATE OR REPLACE FUNCTION set_updated_at()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TABLE IF NOT EXISTS kg_entities (
    id                   uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id            uuid        NOT NULL,
    entity_type          text        NOT NULL,
    name                 text        NOT NULL,
    normalized_name      text        GENERATED ALWAYS AS (lower(btrim(name))) STORED,
    description          text,
    aliases              text[]      NOT NULL DEFAULT '{}',
    properties           jsonb       NOT NULL DEFAULT '{}'::jsonb,
    embedding            real[],
    embedding_model      text,
    confidence           real,
    mention_count        integer     NOT NULL DEFAULT 0,
    source_document_ids  uuid[]      NOT NULL DEFAULT '{}',
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    created_by           uuid,
    updated_by           uuid,
    search_vector        tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(name, '')), 'A') ||
        setweight(to_tsvector('simple', coalesce(description, '')), 'B')
    ) STORED,
    CONSTRAINT kg_entities_pkey PRIMARY KEY (id),
    CONSTRAINT kg_entities_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT kg_entities_tenant_type_name_key UNIQUE (tenant_id, entity_type, normalized_name),
    CONSTRAINT kg_entities_entity_type_check CHECK (entity_type ~ '^[a-z][a-z0-9_]*$'),
    CONSTRAINT kg_entities_name_not_blank CHECK (btrim(name) <> ''),
    CONSTRAINT kg_entities_confidence_check
        CHECK (confidence IS NULL OR (confidence >= 0 AND confidence <= 1)),
    CONSTRAINT kg_entities_mention_count_check CHECK (mention_count >= 0),
    CONSTRAINT kg_entities_embedding_check
        CHECK (embedding IS NULL OR (array_ndims(embedding) = 1 AND cardinality(embedding) > 0)),
    CONSTRAINT kg_entities_properties_is_object CHECK (jsonb_typeof(properties) = 'object')
);

CREATE INDEX IF NOT EXISTS kg_entities_aliases_idx ON kg_entities USING gin (aliases);
CREATE INDEX IF NOT EXISTS kg_entities_properties_idx ON kg_entities USING gin (properties jsonb_path_ops);
CREATE INDEX IF NOT EXISTS kg_entities_search_vector_idx ON kg_entities USING gin (search_vector);

CREATE TABLE IF NOT EXISTS kg_relationships (
    id                  uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id           uuid        NOT NULL,
    source_entity_id    uuid        NOT NULL,
    target_entity_id    uuid        NOT NULL,
    relationship_type   text        NOT NULL,
    description         text,
    weight              real        NOT NULL DEFAULT 1.0,
    confidence          real,
    properties          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    source_document_id  uuid,
    source_chunk_id     uuid,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    created_by          uuid,
    updated_by          uuid,
    CONSTRAINT kg_relationships_pkey PRIMARY KEY (id),
    CONSTRAINT kg_relationships_tenant_edge_key
        UNIQUE (tenant_id, source_entity_id, target_entity_id, relationship_type),
    CONSTRAINT kg_relationships_source_entity_fk FOREIGN KEY (tenant_id, source_entity_id)
        REFERENCES kg_entities (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT kg_relationships_target_entity_fk FOREIGN KEY (tenant_id, target_entity_id)
        REFERENCES kg_entities (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT kg_relationships_no_self_loop CHECK (source_entity_id <> target_entity_id),
    CONSTRAINT kg_relationships_type_check CHECK (relationship_type ~ '^[a-z][a-z0-9_]*$'),
    CONSTRAINT kg_relationships_weight_check CHECK (weight >= 0),
    CONSTRAINT kg_relationships_confidence_check
        CHECK (confidence IS NULL OR (confidence >= 0 AND confidence <= 1)),
    CONSTRAINT kg_relationships_properties_is_object CHECK (jsonb_typeof(properties) = 'object')
);

-- outgoing edges are served by kg_relationships_tenant_edge_key; this one serves incoming edges
CREATE INDEX IF NOT EXISTS kg_relationships_tenant_target_idx
    ON kg_relationships (tenant_id, target_entity_id, relationship_type);
CREATE INDEX IF NOT EXISTS kg_relationships_tenant_type_idx
    ON kg_relationships (tenant_id, relationship_type);
CREATE INDEX IF NOT EXISTS kg_relationships_tenant_source_document_idx
    ON kg_relationships (tenant_id, source_document_id) WHERE source_document_id IS NOT NULL;

DROP TRIGGER IF EXISTS kg_entities_set_updated_at ON kg_entities;
CREATE TRIGGER kg_entities_set_updated_at
    BEFORE UPDATE ON kg_entities FOR EACH ROW EXECUTE FUNCTION set_updated_at();

DROP TRIGGER IF EXISTS kg_relationships_set_updated_at ON kg_relationships;
CREATE TRIGGER kg_relationships_set_updated_at
    BEFORE UPDATE ON kg_relationships FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE kg_entities IS 'Knowledge-graph nodes, unique per tenant on (entity_type, normalized_name).';
COMMENT ON TABLE kg_relationships IS 'Directed, typed knowledge-graph edges between entities of the same tenant.';
