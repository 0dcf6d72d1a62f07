-- Migration 007: CRM system schema
-- Description: Create the CRM core tables (team_members, clients, contacts, practices, interactions)
-- Dependencies: none
--
-- Intent: every table is tenant-scoped (tenant_id uuid NOT NULL) and carries the
-- audit columns created_at/updated_at/created_by/updated_by; updated_at is kept
-- by the shared trigger function set_updated_at(). Each table exposes
-- UNIQUE (tenant_id, id) so that child tables reference parents with composite
-- foreign keys (tenant_id, parent_id): a row can never point at another
-- tenant's data. Team members are deactivated (status = 'inactive'), not
-- deleted: references to them use ON DELETE NO ACTION.

CREATE OR REPLACE FUNCTION set_updated_at()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

-- ---------------------------------------------------------------- team_members
CREATE TABLE IF NOT EXISTS team_members (
    id          uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id   uuid        NOT NULL,
    email       text        NOT NULL,
    full_name   text        NOT NULL,
    role        text        NOT NULL DEFAULT 'member',
    status      text        NOT NULL DEFAULT 'active',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    created_by  uuid,
    updated_by  uuid,
    CONSTRAINT team_members_pkey PRIMARY KEY (id),
    CONSTRAINT team_members_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT team_members_email_check CHECK (position('@' IN email) > 1),
    CONSTRAINT team_members_full_name_not_blank CHECK (btrim(full_name) <> ''),
    CONSTRAINT team_members_role_check CHECK (role IN ('owner', 'admin', 'manager', 'member', 'viewer')),
    CONSTRAINT team_members_status_check CHECK (status IN ('invited', 'active', 'inactive'))
);

-- one account per e-mail per tenant, case-insensitive
CREATE UNIQUE INDEX IF NOT EXISTS team_members_tenant_email_uidx
    ON team_members (tenant_id, lower(email));
CREATE INDEX IF NOT EXISTS team_members_tenant_status_idx
    ON team_members (tenant_id, status);

-- --------------------------------------------------------------------- clients
CREATE TABLE IF NOT EXISTS clients (
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id      uuid        NOT NULL,
    client_type    text        NOT NULL DEFAULT 'company',
    name           text        NOT NULL,
    legal_name     text,
    tax_id         text,
    email          text,
    phone          text,
    website        text,
    address_line1  text,
    address_line2  text,
    city           text,
    region         text,
    postal_code    text,
    country_code   text,
    status         text        NOT NULL DEFAULT 'active',
    tags           text[]      NOT NULL DEFAULT '{}',
    notes          text,
    metadata       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    created_by     uuid,
    updated_by     uuid,
    search_vector  tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(legal_name, '')), 'A') ||
        setweight(to_tsvector('simple', coalesce(email, '') || ' ' || coalesce(tax_id, '') || ' ' || coalesce(city, '')), 'B') ||
        setweight(to_tsvector('simple', coalesce(notes, '')), 'D')
    ) STORED,
    CONSTRAINT clients_pkey PRIMARY KEY (id),
    CONSTRAINT clients_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT clients_tenant_tax_id_key UNIQUE (tenant_id, tax_id),
    CONSTRAINT clients_client_type_check CHECK (client_type IN ('individual', 'company')),
    CONSTRAINT clients_status_check CHECK (status IN ('lead', 'prospect', 'active', 'inactive', 'archived')),
    CONSTRAINT clients_name_not_blank CHECK (btrim(name) <> ''),
    CONSTRAINT clients_email_check CHECK (email IS NULL OR position('@' IN email) > 1),
    CONSTRAINT clients_country_code_check CHECK (country_code IS NULL OR country_code ~ '^[A-Z]{2}$'),
    CONSTRAINT clients_metadata_is_object CHECK (jsonb_typeof(metadata) = 'object')
);

CREATE INDEX IF NOT EXISTS clients_tenant_status_idx ON clients (tenant_id, status);
CREATE INDEX IF NOT EXISTS clients_tenant_name_idx ON clients (tenant_id, lower(name));
CREATE INDEX IF NOT EXISTS clients_tags_idx ON clients USING gin (tags);
CREATE INDEX IF NOT EXISTS clients_search_vector_idx ON clients USING gin (search_vector);

-- -------------------------------------------------------------------- contacts
CREATE TABLE IF NOT EXISTS contacts (
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id      uuid        NOT NULL,
    client_id      uuid        NOT NULL,
    first_name     text        NOT NULL,
    last_name      text,
    email          text,
    phone          text,
    mobile         text,
    job_title      text,
    is_primary     boolean     NOT NULL DEFAULT false,
    notes          text,
    metadata       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    created_by     uuid,
    updated_by     uuid,
    search_vector  tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(first_name, '') || ' ' || coalesce(last_name, '')), 'A') ||
        setweight(to_tsvector('simple', coalesce(email, '') || ' ' || coalesce(job_title, '')), 'B') ||
        setweight(to_tsvector('simple', coalesce(notes, '')), 'D')
    ) STORED,
    CONSTRAINT contacts_pkey PRIMARY KEY (id),
    CONSTRAINT contacts_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT contacts_client_fk FOREIGN KEY (tenant_id, client_id)
        REFERENCES clients (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT contacts_first_name_not_blank CHECK (btrim(first_name) <> ''),
    CONSTRAINT contacts_email_check CHECK (email IS NULL OR position('@' IN email) > 1),
    CONSTRAINT contacts_metadata_is_object CHECK (jsonb_typeof(metadata) = 'object')
);

CREATE INDEX IF NOT EXISTS contacts_tenant_client_idx ON contacts (tenant_id, client_id);
-- an e-mail address appears once per client; at most one primary contact per client
CREATE UNIQUE INDEX IF NOT EXISTS contacts_tenant_client_email_uidx
    ON contacts (tenant_id, client_id, lower(email)) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS contacts_one_primary_per_client_uidx
    ON contacts (tenant_id, client_id) WHERE is_primary;
CREATE INDEX IF NOT EXISTS contacts_search_vector_idx ON contacts USING gin (search_vector);

-- ------------------------------------------------------------------- practices
-- A practice is a case / matter opened for a client.
CREATE TABLE IF NOT EXISTS practices (
    id               uuid          NOT NULL DEFAULT gen_random_uuid(),
    tenant_id        uuid          NOT NULL,
    client_id        uuid          NOT NULL,
    reference        text          NOT NULL,
    title            text          NOT NULL,
    description      text,
    practice_type    text,
    status           text          NOT NULL DEFAULT 'open',
    priority         text          NOT NULL DEFAULT 'normal',
    assigned_to      uuid,
    opened_at        timestamptz   NOT NULL DEFAULT now(),
    due_at           timestamptz,
    closed_at        timestamptz,
    estimated_value  numeric(14,2),
    currency         text          NOT NULL DEFAULT 'EUR',
    metadata         jsonb         NOT NULL DEFAULT '{}'::jsonb,
    created_at       timestamptz   NOT NULL DEFAULT now(),
    updated_at       timestamptz   NOT NULL DEFAULT now(),
    created_by       uuid,
    updated_by       uuid,
    search_vector    tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(reference, '') || ' ' || coalesce(title, '')), 'A') ||
        setweight(to_tsvector('simple', coalesce(practice_type, '')), 'B') ||
        setweight(to_tsvector('simple', coalesce(description, '')), 'C')
    ) STORED,
    CONSTRAINT practices_pkey PRIMARY KEY (id),
    CONSTRAINT practices_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT practices_tenant_reference_key UNIQUE (tenant_id, reference),
    CONSTRAINT practices_client_fk FOREIGN KEY (tenant_id, client_id)
        REFERENCES clients (tenant_id, id) ON DELETE RESTRICT,
    CONSTRAINT practices_assigned_to_fk FOREIGN KEY (tenant_id, assigned_to)
        REFERENCES team_members (tenant_id, id) ON DELETE NO ACTION,
    CONSTRAINT practices_reference_not_blank CHECK (btrim(reference) <> ''),
    CONSTRAINT practices_title_not_blank CHECK (btrim(title) <> ''),
    CONSTRAINT practices_status_check
        CHECK (status IN ('draft', 'open', 'in_progress', 'on_hold', 'closed', 'cancelled')),
    CONSTRAINT practices_priority_check CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    CONSTRAINT practices_closed_at_check CHECK (closed_at IS NULL OR closed_at >= opened_at),
    CONSTRAINT practices_estimated_value_check CHECK (estimated_value IS NULL OR estimated_value >= 0),
    CONSTRAINT practices_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT practices_metadata_is_object CHECK (jsonb_typeof(metadata) = 'object')
);

CREATE INDEX IF NOT EXISTS practices_tenant_client_idx ON practices (tenant_id, client_id);
CREATE INDEX IF NOT EXISTS practices_tenant_status_idx ON practices (tenant_id, status);
CREATE INDEX IF NOT EXISTS practices_tenant_assigned_to_idx
    ON practices (tenant_id, assigned_to) WHERE assigned_to IS NOT NULL;
CREATE INDEX IF NOT EXISTS practices_tenant_open_due_idx
    ON practices (tenant_id, due_at) WHERE status NOT IN ('closed', 'cancelled');
CREATE INDEX IF NOT EXISTS practices_search_vector_idx ON practices USING gin (search_vector);

-- ---------------------------------------------------------------- interactions
CREATE TABLE IF NOT EXISTS interactions (
    id                uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id         uuid        NOT NULL,
    client_id         uuid        NOT NULL,
    contact_id        uuid,
    practice_id       uuid,
    team_member_id    uuid,
    interaction_type  text        NOT NULL,
    direction         text,
    subject           text,
    body              text,
    outcome           text,
    occurred_at       timestamptz NOT NULL DEFAULT now(),
    duration_seconds  integer,
    external_id       text,
    metadata          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    created_by        uuid,
    updated_by        uuid,
    search_vector     tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(subject, '')), 'A') ||
        setweight(to_tsvector('simple', coalesce(body, '') || ' ' || coalesce(outcome, '')), 'B')
    ) STORED,
    CONSTRAINT interactions_pkey PRIMARY KEY (id),
    -- de-duplicates items imported from mail/telephony integrations
    CONSTRAINT interactions_tenant_external_id_key UNIQUE (tenant_id, external_id),
    CONSTRAINT interactions_client_fk FOREIGN KEY (tenant_id, client_id)
        REFERENCES clients (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT interactions_contact_fk FOREIGN KEY (tenant_id, contact_id)
        REFERENCES contacts (tenant_id, id) ON DELETE NO ACTION,
    CONSTRAINT interactions_practice_fk FOREIGN KEY (tenant_id, practice_id)
        REFERENCES practices (tenant_id, id) ON DELETE NO ACTION,
    CONSTRAINT interactions_team_member_fk FOREIGN KEY (tenant_id, team_member_id)
        REFERENCES team_members (tenant_id, id) ON DELETE NO ACTION,
    CONSTRAINT interactions_type_check
        CHECK (interaction_type IN ('call', 'email', 'meeting', 'note', 'task', 'message', 'other')),
    CONSTRAINT interactions_direction_check
        CHECK (direction IS NULL OR direction IN ('inbound', 'outbound', 'internal')),
    CONSTRAINT interactions_duration_check CHECK (duration_seconds IS NULL OR duration_seconds >= 0),
    CONSTRAINT interactions_metadata_is_object CHECK (jsonb_typeof(metadata) = 'object')
);

CREATE INDEX IF NOT EXISTS interactions_tenant_client_occurred_idx
    ON interactions (tenant_id, client_id, occurred_at DESC);
CREATE INDEX IF NOT EXISTS interactions_tenant_contact_idx
    ON interactions (tenant_id, contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS interactions_tenant_practice_occurred_idx
    ON interactions (tenant_id, practice_id, occurred_at DESC) WHERE practice_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS interactions_tenant_team_member_idx
    ON interactions (tenant_id, team_member_id) WHERE team_member_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS interactions_search_vector_idx ON interactions USING gin (search_vector);

-- -------------------------------------------------------- updated_at triggers
DROP TRIGGER IF EXISTS team_members_set_updated_at ON team_members;
CREATE TRIGGER team_members_set_updated_at
    BEFORE UPDATE ON team_members FOR EACH ROW EXECUTE FUNCTION set_updated_at();

DROP TRIGGER IF EXISTS clients_set_updated_at ON clients;
CREATE TRIGGER clients_set_updated_at
    BEFORE UPDATE ON clients FOR EACH ROW EXECUTE FUNCTION set_updated_at();

DROP TRIGGER IF EXISTS contacts_set_updated_at ON contacts;
CREATE TRIGGER contacts_set_updated_at
    BEFORE UPDATE ON contacts FOR EACH ROW EXECUTE FUNCTION set_updated_at();

DROP TRIGGER IF EXISTS practices_set_updated_at ON practices;
CREATE TRIGGER practices_set_updated_at
    BEFORE UPDATE ON practices FOR EACH ROW EXECUTE FUNCTION set_updated_at();

DROP TRIGGER IF EXISTS interactions_set_updated_at ON interactions;
CREATE TRIGGER interactions_set_updated_at
    BEFORE UPDATE ON interactions FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON FUNCTION set_updated_at() IS 'Shared BEFORE UPDATE trigger function: sets NEW.updated_at to now().';
COMMENT ON TABLE team_members IS 'Users of a tenant who work on clients and practices.';
COMMENT ON TABLE clients IS 'CRM clients (companies or individuals) per tenant.';
COMMENT ON TABLE contacts IS 'People attached to a client.';
COMMENT ON TABLE practices IS 'Cases / matters opened for a client.';
COMMENT ON TABLE interactions IS 'Calls, e-mails, meetings and notes logged against a client.';
