-- Migration 015: Add Google Drive columns
-- Description: Add Google Drive sync columns to parent_documents, unique per tenant on drive_file_id
-- Dependencies: 13
--
-- Intent: documents imported from Google Drive keep their Drive identity so the
-- sync job can upsert with ON CONFLICT (tenant_id, drive_file_id) and skip
-- unchanged files (drive_modified_time / drive_md5_checksum). All columns are
-- nullable: documents from other sources are unaffected. The unique index is
-- not partial on purpose (NULLs never conflict), so ON CONFLICT needs no
-- WHERE clause.

ALTER TABLE parent_documents
    ADD COLUMN IF NOT EXISTS drive_file_id        text,
    ADD COLUMN IF NOT EXISTS drive_folder_id      text,
    ADD COLUMN IF NOT EXISTS drive_mime_type      text,
    ADD COLUMN IF NOT EXISTS drive_web_view_link  text,
    ADD COLUMN IF NOT EXISTS drive_modified_time  timestamptz,
    ADD COLUMN IF NOT EXISTS drive_md5_checksum   text,
    ADD COLUMN IF NOT EXISTS drive_synced_at      timestamptz;

CREATE UNIQUE INDEX IF NOT EXISTS parent_documents_tenant_drive_file_id_uidx
    ON parent_documents (tenant_id, drive_file_id);
CREATE INDEX IF NOT EXISTS parent_documents_tenant_drive_folder_idx
    ON parent_documents (tenant_id, drive_folder_id) WHERE drive_folder_id IS NOT NULL;

-- a Drive file id only makes sense on a document whose source is Google Drive
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint
                   WHERE conrelid = 'parent_documents'::regclass
                     AND conname = 'parent_documents_drive_source_check') THEN
        ALTER TABLE parent_documents
            ADD CONSTRAINT parent_documents_drive_source_check
            CHECK (drive_file_id IS NULL OR source_type = 'google_drive') NOT VALID;
    END IF;
END;
$$;

ALTER TABLE parent_documents VALIDATE CONSTRAINT parent_documents_drive_source_check;

COMMENT ON COLUMN parent_documents.drive_file_id IS 'Google Drive file id; unique per tenant.';
