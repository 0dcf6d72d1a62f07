CREATE TABLE fd_accounts (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    region text
);
INSERT INTO fd_accounts VALUES (1, 'a@example.org', 'eu'), (2, 'b@example.org', 'us');
