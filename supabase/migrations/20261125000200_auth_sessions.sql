-- Revoked-session store for AUTH_BACKEND=supabase (GoTrue access tokens are stateless; signout
-- records the session id here so the API rejects the token at once, in every process).
create table if not exists public.auth_sessions (
  id uuid primary key,                      -- the token's session_id claim
  user_id uuid not null references public.users on delete cascade,
  created_at timestamp with time zone not null default now(),
  expires_at timestamp with time zone not null,
  revoked_at timestamp with time zone
);
create index if not exists ix_auth_sessions_expires_at on public.auth_sessions (expires_at);
revoke all on public.auth_sessions from anon, authenticated;
grant all on public.auth_sessions to service_role;
alter table public.auth_sessions enable row level security;
