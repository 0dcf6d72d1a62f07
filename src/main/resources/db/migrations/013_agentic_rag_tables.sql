-- Migration 013: Agentic RAG tables
-- Description: Create parent_documents, document_chunks, agent_sessions and agent_steps
-- Dependencies: none
--
-- Intent: parent-document retrieval. Small chunks (document_chunks) are matched
-- by full text and by embedding (real[]; similarity is computed by the
-- application, no pgvector), then the whole parent document is returned.
-- agent_sessions/agent_steps record each agent run step by step.
-- Children reference parents through composite (tenant_id, id) foreign keys.
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

CREATE TABLE IF NOT EXISTS parent_documents (
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id      uuid        NOT NULL,
    title          text        NOT NULL,
    source_type    text        NOT NULL DEFAULT 'upload',
    source_uri     text,
    content        text,
    content_hash   text,
    language_code  text,
    status         text        NOT NULL DEFAULT 'pending',
    error_message  text,
    chunk_count    integer     NOT NULL DEFAULT 0,
    token_count    integer,
    metadata       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    created_by     uuid,
    updated_by     uuid,
    CONSTRAINT parent_documents_pkey PRIMARY KEY (id),
    CONSTRAINT parent_documents_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT parent_documents_title_not_blank CHECK (btrim(title) <> ''),
    CONSTRAINT parent_documents_source_type_check
        CHECK (source_type IN ('upload', 'url', 'google_drive', 'email', 'crm', 'api', 'other')),
    CONSTRAINT parent_documents_status_check
        CHECK (status IN ('pending', 'processing', 'ready', 'failed', 'archived')),
    CONSTRAINT parent_documents_content_hash_check
        CHECK (content_hash IS NULL OR content_hash ~ '^[0-9a-f]{64}$'),
    CONSTRAINT parent_documents_chunk_count_check CHECK (chunk_count >= 0),
    CONSTRAINT parent_documents_token_count_check CHECK (token_count IS NULL OR token_count >= 0),
    CONSTRAINT parent_documents_metadata_is_object CHECK (jsonb_typeof(metadata) = 'object')
);

CREATE INDEX IF NOT EXISTS parent_documents_tenant_status_idx
    ON parent_documents (tenant_id, status);
CREATE INDEX IF NOT EXISTS parent_documents_tenant_content_hash_idx
    ON parent_documents (tenant_id, content_hash) WHERE content_hash IS NOT NULL;

CREATE TABLE IF NOT EXISTS document_chunks (
    id                  uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id           uuid        NOT NULL,
    parent_document_id  uuid        NOT NULL,
    chunk_index         integer     NOT NULL,
    content             text        NOT NULL,
    token_count         integer,
    char_start          integer,
    char_end            integer,
    embedding           real[],
    embedding_model     text,
    metadata            jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    created_by          uuid,
    updated_by          uuid,
    search_vector       tsvector GENERATED ALWAYS AS (to_tsvector('simple', coalesce(content, ''))) STORED,
    CONSTRAINT document_chunks_pkey PRIMARY KEY (id),
    CONSTRAINT document_chunks_parent_chunk_index_key UNIQUE (tenant_id, parent_document_id, chunk_index),
    CONSTRAINT document_chunks_parent_document_fk FOREIGN KEY (tenant_id, parent_document_id)
        REFERENCES parent_documents (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT document_chunks_chunk_index_check CHECK (chunk_index >= 0),
    CONSTRAINT document_chunks_token_count_check CHECK (token_count IS NULL OR token_count >= 0),
    CONSTRAINT document_chunks_char_range_check
        CHECK (char_start IS NULL OR char_end IS NULL OR (char_start >= 0 AND char_end >= char_start)),
    CONSTRAINT document_chunks_embedding_check
        CHECK (embedding IS NULL OR (array_ndims(embedding) = 1 AND cardinality(embedding) > 0)),
    CONSTRAINT document_chunks_embedding_model_check
        CHECK (embedding IS NULL OR embedding_model IS NOT NULL),
    CONSTRAINT document_chunks_metadata_is_object CHECK (jsonb_typeof(metadata) = 'object')
);

CREATE INDEX IF NOT EXISTS document_chunks_search_vector_idx
    ON document_chunks USING gin (search_vector);
-- work queue for the embedding job
CREATE INDEX IF NOT EXISTS document_chunks_tenant_pending_embedding_idx
    ON document_chunks (tenant_id, created_at) WHERE embedding IS NULL;

CREATE TABLE IF NOT EXISTS agent_sessions (
    id               uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id        uuid        NOT NULL,
    user_id          uuid,
    conversation_id  uuid,
    title            text,
    goal             text,
    status           text        NOT NULL DEFAULT 'active',
    model            text,
    started_at       timestamptz NOT NULL DEFAULT now(),
    ended_at         timestamptz,
    total_tokens     integer     NOT NULL DEFAULT 0,
    metadata         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    created_by       uuid,
    updated_by       uuid,
    CONSTRAINT agent_sessions_pkey PRIMARY KEY (id),
    CONSTRAINT agent_sessions_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT agent_sessions_status_check
        CHECK (status IN ('active', 'completed', 'failed', 'cancelled')),
    CONSTRAINT agent_sessions_ended_at_check CHECK (ended_at IS NULL OR ended_at >= started_at),
    CONSTRAINT agent_sessions_total_tokens_check CHECK (total_tokens >= 0),
    CONSTRAINT agent_sessions_metadata_is_object CHECK (jsonb_typeof(metadata) = 'object')
);

CREATE INDEX IF NOT EXISTS agent_sessions_tenant_user_started_idx
    ON agent_sessions (tenant_id, user_id, started_at DESC);
CREATE INDEX IF NOT EXISTS agent_sessions_tenant_conversation_idx
    ON agent_sessions (tenant_id, conversation_id) WHERE conversation_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS agent_steps (
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id      uuid        NOT NULL,
    session_id     uuid        NOT NULL,
    step_index     integer     NOT NULL,
    step_type      text        NOT NULL,
    tool_name      text,
    input          jsonb,
    output         jsonb,
    status         text        NOT NULL DEFAULT 'pending',
    error_message  text,
    started_at     timestamptz,
    completed_at   timestamptz,
    duration_ms    integer,
    tokens_in      integer,
    tokens_out     integer,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    created_by     uuid,
    updated_by     uuid,
    CONSTRAINT agent_steps_pkey PRIMARY KEY (id),
    CONSTRAINT agent_steps_session_step_index_key UNIQUE (tenant_id, session_id, step_index),
    CONSTRAINT agent_steps_session_fk FOREIGN KEY (tenant_id, session_id)
        REFERENCES agent_sessions (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT agent_steps_step_index_check CHECK (step_index >= 0),
    CONSTRAINT agent_steps_step_type_check
        CHECK (step_type IN ('plan', 'retrieve', 'rerank', 'tool_call', 'reflect', 'answer', 'error')),
    CONSTRAINT agent_steps_status_check
        CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'skipped')),
    CONSTRAINT agent_steps_completed_at_check
        CHECK (completed_at IS NULL OR started_at IS NULL OR completed_at >= started_at),
    CONSTRAINT agent_steps_counters_check
        CHECK (coalesce(duration_ms, 0) >= 0 AND coalesce(tokens_in, 0) >= 0 AND coalesce(tokens_out, 0) >= 0)
);

DROP TRIGGER IF EXISTS parent_documents_set_updated_at ON parent_documents;
CREATE TRIGGER parent_documents_set_updated_at
    BEFORE UPDATE ON parent_documents FOR EACH ROW EXECUTE FUNCTION set_updated_at();

DROP TRIGGER IF EXISTS document_chunks_set_updated_at ON document_chunks;
CREATE TRIGGER document_chunks_set_updated_at
    BEFORE UPDATE ON document_chunks FOR EACH ROW EXECUTE FUNCTION set_updated_at();

DROP TRIGGER IF EXISTS agent_sessions_set_updated_at ON agent_sessions;
CREATE TRIGGER agent_sessions_set_updated_at
    BEFORE UPDATE ON agent_sessions FOR EACH ROW EXECUTE FUNCTION set_updated_at();

DROP TRIGGER IF EXISTS agent_steps_set_updated_at ON agent_steps;
CREATE TRIGGER agent_steps_set_updated_at
    BEFORE UPDATE ON agent_steps FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE parent_documents IS 'Source documents for RAG; returned whole when one of their chunks matches.';
COMMENT ON TABLE document_chunks IS 'Retrieval units of a parent document: full-text vector plus real[] embedding.';
COMMENT ON TABLE agent_sessions IS 'One agent run (goal, model, token usage).';
COMMENT ON TABLE agent_steps IS 'Ordered steps of an agent session (plan, retrieval, tool calls, answer).';
