ALTER TABLE ory_identities DROP COLUMN state;
