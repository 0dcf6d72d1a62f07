-- Migration 012: Fix production schema
-- Description: Add conversation_id to interactions, with an index for per-conversation lookups
-- Dependencies: 7
--
-- Intent: the application links interactions produced by the assistant to the
-- conversation they came from. The column is nullable (manual interactions
-- have no conversation), so adding it is a catalog-only change.

ALTER TABLE interactions
    ADD COLUMN IF NOT EXISTS conversation_id uuid;

CREATE INDEX IF NOT EXISTS interactions_tenant_conversation_idx
    ON interactions (tenant_id, conversation_id, occurred_at)
    WHERE conversation_id IS NOT NULL;

COMMENT ON COLUMN interactions.conversation_id IS 'Assistant conversation this interaction belongs to (NULL for manual entries).';
