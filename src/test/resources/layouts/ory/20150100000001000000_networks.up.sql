CREATE TABLE ory_networks (id uuid PRIMARY KEY);
