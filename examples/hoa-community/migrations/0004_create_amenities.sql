-- Amenities (the pool, the clubhouse) and their bookings. No two confirmed bookings of one
-- amenity overlap: an exclusion constraint decides, so two residents racing for one slot get
-- one booking and one 23P01, whatever the isolation level.

create table public.amenities (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  description text,
  max_booking interval not null default interval '4 hours' check (max_booking > interval '0'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, name)
);
alter table public.amenities enable row level security;

create table public.amenity_bookings (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  amenity_id uuid not null references public.amenities (id) on delete cascade,
  unit_id uuid references public.units (id) on delete set null,
  booked_by uuid references auth.users (id) on delete set null default auth.uid(),
  -- Half-open [start, end): a booking ending at 10:00 and one starting at 10:00 do not overlap.
  during tstzrange not null
    constraint amenity_bookings_during_bounded
    check (not isempty(during) and lower_inc(during) and not upper_inc(during)
           and lower(during) is not null and upper(during) is not null),
  status text not null default 'confirmed' check (status in ('confirmed', 'cancelled')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint amenity_bookings_no_overlap
    exclude using gist (amenity_id with =, during with &&) where (status = 'confirmed')
);
create index amenity_bookings_unit_id_idx on public.amenity_bookings (unit_id);
create index amenity_bookings_booked_by_idx on public.amenity_bookings (booked_by);
alter table public.amenity_bookings enable row level security;
