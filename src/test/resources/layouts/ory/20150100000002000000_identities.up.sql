CREATE TABLE ory_identities (id uuid PRIMARY KEY, nid uuid REFERENCES ory_networks (id));
