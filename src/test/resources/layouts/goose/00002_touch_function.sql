-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION gs_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.email := lower(NEW.email);
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION gs_touch();
