-- The scratch database of `strata test`; {name} is strata_test_ and 8 random hex digits (a
-- database name cannot be a query parameter). template0: an empty database, whatever was added
-- to template1 on this server (PostgreSQL docs, "Template Databases").
CREATE DATABASE {name} TEMPLATE template0
