-- coursegen: the seed schema (tables exactly as specified), indexes, updated_at triggers,
-- row-level security and the auth.users -> public.users sync trigger.
-- Target: a Supabase project (roles anon / authenticated / service_role, schema auth).

create extension if not exists "uuid-ossp";

-- ---------------------------------------------------------------------------------------------
-- Tables (verbatim from the seed)
-- ---------------------------------------------------------------------------------------------

create table public.users (
  id uuid references auth.users not null primary key,
  email text not null unique,
  name text,
  created_at timestamp with time zone default now(),
  updated_at timestamp with time zone default now(),
  subscription_tier text default 'free',
  subscription_status text default 'active',
  subscription_ends_at timestamp with time zone
);

create table public.courses (
  id uuid default uuid_generate_v4() primary key,
  title text not null,
  description text,
  difficulty text,
  created_by uuid references public.users,
  created_at timestamp with time zone default now(),
  updated_at timestamp with time zone default now(),
  status text default 'draft',
  youtube_url text,
  metadata jsonb default '{}'::jsonb,
  is_public boolean default false
);

create table public.course_content (
  id uuid default uuid_generate_v4() primary key,
  course_id uuid references public.courses not null,
  type text not null,
  title text not null,
  content jsonb not null,
  sequence integer not null,
  parent_id uuid references public.course_content,
  created_at timestamp with time zone default now(),
  updated_at timestamp with time zone default now()
);

create table public.user_progress (
  id uuid default uuid_generate_v4() primary key,
  user_id uuid references public.users not null,
  course_id uuid references public.courses not null,
  section_id uuid references public.course_content,
  status text default 'not_started',
  completed_at timestamp with time zone,
  last_accessed timestamp with time zone default now(),
  progress numeric default 0,
  metadata jsonb default '{}'::jsonb
);

-- ---------------------------------------------------------------------------------------------
-- Indexes for the API's queries (and for the RLS predicates, which run on every row access)
-- ---------------------------------------------------------------------------------------------

-- GET /api/courses: my courses, newest first.
create index courses_created_by_created_at_idx on public.courses (created_by, created_at desc);
-- Public catalogue reads filter on is_public; partial index keeps it small.
create index courses_public_created_at_idx on public.courses (created_at desc) where is_public;
-- A course's content tree in order; also serves the course_content policies' join.
create index course_content_course_sequence_idx on public.course_content (course_id, sequence);
create index course_content_parent_idx on public.course_content (parent_id);
-- GET /api/user/progress and POST /api/user/progress/{courseId}.
create index user_progress_user_course_idx on public.user_progress (user_id, course_id);
create index user_progress_course_idx on public.user_progress (course_id);
create index user_progress_section_idx on public.user_progress (section_id);

-- ---------------------------------------------------------------------------------------------
-- updated_at maintenance
-- ---------------------------------------------------------------------------------------------

create or replace function public.set_updated_at() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

create trigger users_set_updated_at before update on public.users
  for each row execute function public.set_updated_at();
create trigger courses_set_updated_at before update on public.courses
  for each row execute function public.set_updated_at();
create trigger course_content_set_updated_at before update on public.course_content
  for each row execute function public.set_updated_at();

-- ---------------------------------------------------------------------------------------------
-- Privileges. Supabase grants ALL on new public tables to anon/authenticated by default; we
-- narrow that explicitly so the column-level rule on users.subscription_* actually holds.
-- ---------------------------------------------------------------------------------------------

grant usage on schema public to anon, authenticated, service_role;

revoke all on public.users, public.courses, public.course_content, public.user_progress
  from anon, authenticated;
grant all on public.users, public.courses, public.course_content, public.user_progress
  to service_role;

-- users: read own row, change only the profile name (email follows auth.users, subscription_*
-- is written by the billing webhook with the service role).
grant select on public.users to authenticated;
grant update (name) on public.users to authenticated;

grant select on public.courses, public.course_content to anon;
grant select, insert, update, delete on public.courses, public.course_content to authenticated;
grant select, insert, update, delete on public.user_progress to authenticated;

-- Defence in depth: even if a later migration (or the dashboard) re-grants table-wide UPDATE,
-- end-user roles still cannot change their own plan.
create or replace function public.guard_subscription_columns() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user in ('anon', 'authenticated') and (
       new.subscription_tier is distinct from old.subscription_tier
    or new.subscription_status is distinct from old.subscription_status
    or new.subscription_ends_at is distinct from old.subscription_ends_at) then
    raise exception 'subscription columns are managed by the billing webhook'
      using errcode = '42501';
  end if;
  return new;
end;
$$;

create trigger users_guard_subscription before update on public.users
  for each row execute function public.guard_subscription_columns();

-- ---------------------------------------------------------------------------------------------
-- Row-level security. (select auth.uid()) is evaluated once per statement, not per row.
-- ---------------------------------------------------------------------------------------------

alter table public.users enable row level security;
alter table public.courses enable row level security;
alter table public.course_content enable row level security;
alter table public.user_progress enable row level security;

-- users
create policy users_select_own on public.users
  for select to authenticated
  using (id = (select auth.uid()));
create policy users_update_own on public.users
  for update to authenticated
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()));

-- courses: owners do everything; public courses are readable by anyone, signed in or not.
create policy courses_select_public_or_own on public.courses
  for select to anon, authenticated
  using (is_public or created_by = (select auth.uid()));
create policy courses_insert_own on public.courses
  for insert to authenticated
  with check (created_by = (select auth.uid()));
create policy courses_update_own on public.courses
  for update to authenticated
  using (created_by = (select auth.uid()))
  with check (created_by = (select auth.uid()));
create policy courses_delete_own on public.courses
  for delete to authenticated
  using (created_by = (select auth.uid()));

-- course_content: access follows the parent course.
create policy course_content_select on public.course_content
  for select to anon, authenticated
  using (exists (
    select 1 from public.courses c
    where c.id = course_content.course_id
      and (c.is_public or c.created_by = (select auth.uid()))));
create policy course_content_insert_own on public.course_content
  for insert to authenticated
  with check (exists (
    select 1 from public.courses c
    where c.id = course_content.course_id and c.created_by = (select auth.uid())));
create policy course_content_update_own on public.course_content
  for update to authenticated
  using (exists (
    select 1 from public.courses c
    where c.id = course_content.course_id and c.created_by = (select auth.uid())))
  with check (exists (
    select 1 from public.courses c
    where c.id = course_content.course_id and c.created_by = (select auth.uid())));
create policy course_content_delete_own on public.course_content
  for delete to authenticated
  using (exists (
    select 1 from public.courses c
    where c.id = course_content.course_id and c.created_by = (select auth.uid())));

-- user_progress: own rows only; new rows only for courses the user can see.
create policy user_progress_select_own on public.user_progress
  for select to authenticated
  using (user_id = (select auth.uid()));
create policy user_progress_insert_own on public.user_progress
  for insert to authenticated
  with check (
    user_id = (select auth.uid())
    and exists (
      select 1 from public.courses c
      where c.id = user_progress.course_id
        and (c.is_public or c.created_by = (select auth.uid()))));
create policy user_progress_update_own on public.user_progress
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
create policy user_progress_delete_own on public.user_progress
  for delete to authenticated
  using (user_id = (select auth.uid()));

-- ---------------------------------------------------------------------------------------------
-- auth.users -> public.users
-- ---------------------------------------------------------------------------------------------

-- security definer: the insert into auth.users is done by GoTrue's role, which has no rights on
-- public.users; search_path is pinned so the function cannot be hijacked.
create or replace function public.handle_new_user() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.users (id, email, name)
  values (new.id, new.email, new.raw_user_meta_data ->> 'name')
  on conflict (id) do update set email = excluded.email,
                                 name = coalesce(public.users.name, excluded.name);
  return new;
end;
$$;

create trigger on_auth_user_created after insert on auth.users
  for each row execute function public.handle_new_user();

-- Keep the e-mail in step when the user confirms a change of address in Supabase Auth.
create or replace function public.handle_user_email_change() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.users set email = new.email where id = new.id;
  return new;
end;
$$;

create trigger on_auth_user_email_changed after update of email on auth.users
  for each row when (old.email is distinct from new.email)
  execute function public.handle_user_email_change();

revoke execute on function public.handle_new_user() from public, anon, authenticated;
revoke execute on function public.handle_user_email_change() from public, anon, authenticated;
