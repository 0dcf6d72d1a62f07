CREATE TABLE fd_orders (
    id bigint PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES fd_accounts (id),
    note text DEFAULT 'CREATE INDEX CONCURRENTLY is only text here'
);
