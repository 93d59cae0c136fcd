-- orgstack:object function public.trigger_limit_booking_length()
-- Trigger function: a booking lasts at most its amenity's max_booking, so nobody holds the
-- clubhouse for a week. Security definer: it reads the amenity's limit by primary key, whatever
-- the caller sees. Callers: BEFORE INSERT OR UPDATE OF during, amenity_id on
-- public.amenity_bookings, named to fire after the reference guard.
create or replace function public.trigger_limit_booking_length()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  amenity record;
begin
  select a.name, a.max_booking into amenity from public.amenities a where a.id = new.amenity_id;
  if upper(new.during) - lower(new.during) > amenity.max_booking then
    raise exception using
      errcode = '23514',
      message = format('public.amenity_bookings.during: %s is longer than %s allows (%s).',
                       upper(new.during) - lower(new.during), amenity.name, amenity.max_booking),
      hint = 'Book a shorter slot, or several slots others can still choose between.';
  end if;
  return new;
end;
$$;
revoke all on function public.trigger_limit_booking_length() from public;
