-- Mirrors Alembic revision 0003: an Idempotency-Key replays only the request it was first used
-- with (the SHA-256 of that request); another body with the same key is 422.
alter table public.idempotency_keys add column request_hash varchar(64);
