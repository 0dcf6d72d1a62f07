DROP TABLE ory_networks;
