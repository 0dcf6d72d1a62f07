-- Migration 016: Add summary to parent documents
-- Description: Add summary (and when it was generated) to parent_documents
-- Dependencies: 13
--
-- Intent: store the LLM-generated summary used to present a parent document
-- without loading its full content. Nullable columns: catalog-only change,
-- existing documents are summarised later by a background job.

ALTER TABLE parent_documents
    ADD COLUMN IF NOT EXISTS summary               text,
    ADD COLUMN IF NOT EXISTS summary_generated_at  timestamptz;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint
                   WHERE conrelid = 'parent_documents'::regclass
                     AND conname = 'parent_documents_summary_not_blank') THEN
        ALTER TABLE parent_documents
            ADD CONSTRAINT parent_documents_summary_not_blank
            CHECK (summary IS NULL OR btrim(summary) <> '') NOT VALID;
    END IF;
END;
$$;

ALTER TABLE parent_documents VALIDATE CONSTRAINT parent_documents_summary_not_blank;

COMMENT ON COLUMN parent_documents.summary IS 'Generated summary of the document; NULL until summarised.';
