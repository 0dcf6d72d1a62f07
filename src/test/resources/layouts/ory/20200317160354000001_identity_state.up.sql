ALTER TABLE ory_identities ADD COLUMN state text;
