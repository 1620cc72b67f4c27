-- Backend bookkeeping tables the API needs when DATABASE_URL points at the Supabase Postgres
-- (same shape as db/models.py). Only the backend (table owner / service_role) touches them:
-- RLS is on with no policies, so the anon and authenticated roles see nothing.

create table public.outbox_events (
  id uuid default uuid_generate_v4() primary key,
  event_type varchar(64) not null,
  payload jsonb not null,
  created_at timestamp with time zone not null default now(),
  attempts integer not null default 0,
  next_attempt_at timestamp with time zone not null default now(),
  delivered_at timestamp with time zone,
  last_error text
);
-- The dispatcher scans undelivered events by due time.
create index ix_outbox_pending on public.outbox_events (delivered_at, next_attempt_at);

create table public.idempotency_keys (
  user_id uuid not null references public.users on delete cascade,
  key varchar(200) not null,
  course_id uuid not null references public.courses on delete cascade,
  created_at timestamp with time zone not null default now(),
  primary key (user_id, key)
);

revoke all on public.outbox_events, public.idempotency_keys from anon, authenticated;
grant all on public.outbox_events, public.idempotency_keys to service_role;

alter table public.outbox_events enable row level security;
alter table public.idempotency_keys enable row level security;
