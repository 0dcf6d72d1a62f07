DROP TABLE ory_identities;
