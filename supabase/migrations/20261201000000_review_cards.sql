-- Spaced repetition (FSRS): a learner's memory state per study card, and every review given.
-- Same shape as db/models.py (Alembic revision 0002). A learner sees and changes only their own
-- rows, and only for courses they can see (their own or public ones).

create table public.review_cards (
  id uuid default uuid_generate_v4() primary key,
  user_id uuid not null references public.users on delete cascade,
  course_id uuid not null references public.courses on delete cascade,
  card_id varchar(64) not null,
  fsrs jsonb not null,
  due timestamp with time zone not null,
  last_review timestamp with time zone not null,
  reps integer not null default 0,
  lapses integer not null default 0
);
create unique index uq_review_cards_card on public.review_cards (user_id, course_id, card_id);
create index ix_review_cards_user_due on public.review_cards (user_id, due);
create index review_cards_course_idx on public.review_cards (course_id);

create table public.review_logs (
  id uuid default uuid_generate_v4() primary key,
  review_card_id uuid not null references public.review_cards on delete cascade,
  rating integer not null check (rating between 1 and 4),
  reviewed_at timestamp with time zone not null
);
create index ix_review_logs_card on public.review_logs (review_card_id, reviewed_at);

revoke all on public.review_cards, public.review_logs from anon, authenticated;
grant all on public.review_cards, public.review_logs to service_role;
grant select, insert, update, delete on public.review_cards to authenticated;
grant select, insert on public.review_logs to authenticated;

alter table public.review_cards enable row level security;
alter table public.review_logs enable row level security;

create policy review_cards_select_own on public.review_cards
  for select to authenticated
  using (user_id = (select auth.uid()));
create policy review_cards_insert_own on public.review_cards
  for insert to authenticated
  with check (
    user_id = (select auth.uid())
    and exists (
      select 1 from public.courses c
      where c.id = review_cards.course_id
        and (c.is_public or c.created_by = (select auth.uid()))));
create policy review_cards_update_own on public.review_cards
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
create policy review_cards_delete_own on public.review_cards
  for delete to authenticated
  using (user_id = (select auth.uid()));

-- logs: through the learner's own cards; append-only for end users (no update/delete policy)
create policy review_logs_select_own on public.review_logs
  for select to authenticated
  using (exists (select 1 from public.review_cards r
                 where r.id = review_logs.review_card_id and r.user_id = (select auth.uid())));
create policy review_logs_insert_own on public.review_logs
  for insert to authenticated
  with check (exists (select 1 from public.review_cards r
                      where r.id = review_logs.review_card_id
                        and r.user_id = (select auth.uid())));
