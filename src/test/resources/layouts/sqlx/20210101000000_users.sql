-- Add users
CREATE TABLE sx_users (id bigint PRIMARY KEY, email text);
