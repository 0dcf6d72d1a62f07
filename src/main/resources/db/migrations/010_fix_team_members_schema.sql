-- Migration 010: Fix team_members schema
-- Description: Align team_members with the application (auth user link, profile columns, permissions)
-- Dependencies: 7
--
-- Intent: add the columns the application maps on TeamMember, all nullable or
-- with a constant default so existing rows need no backfill and the ALTERs do
-- not rewrite the table. New constraints are added NOT VALID inside guarded DO
-- blocks and validated afterwards (VALIDATE on an already valid constraint is
-- a no-op), so the file can be re-applied safely.

ALTER TABLE team_members
    ADD COLUMN IF NOT EXISTS user_id       uuid,
    ADD COLUMN IF NOT EXISTS phone         text,
    ADD COLUMN IF NOT EXISTS job_title     text,
    ADD COLUMN IF NOT EXISTS avatar_url    text,
    ADD COLUMN IF NOT EXISTS permissions   jsonb NOT NULL DEFAULT '{}'::jsonb,
    ADD COLUMN IF NOT EXISTS last_login_at timestamptz;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint
                   WHERE conrelid = 'team_members'::regclass
                     AND conname = 'team_members_permissions_is_object') THEN
        ALTER TABLE team_members
            ADD CONSTRAINT team_members_permissions_is_object
            CHECK (jsonb_typeof(permissions) = 'object') NOT VALID;
    END IF;

    -- one team member per authenticated user within a tenant
    -- (fails loudly if duplicates already exist: clean them up first)
    IF NOT EXISTS (SELECT 1 FROM pg_constraint
                   WHERE conrelid = 'team_members'::regclass
                     AND conname = 'team_members_tenant_user_id_key') THEN
        ALTER TABLE team_members
            ADD CONSTRAINT team_members_tenant_user_id_key UNIQUE (tenant_id, user_id);
    END IF;
END;
$$;

ALTER TABLE team_members VALIDATE CONSTRAINT team_members_permissions_is_object;

COMMENT ON COLUMN team_members.user_id IS 'Identity-provider user id; NULL while the member is only invited.';
