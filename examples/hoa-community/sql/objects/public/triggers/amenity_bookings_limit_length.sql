-- orgstack:object trigger amenity_bookings_limit_length on public.amenity_bookings
-- orgstack:requires function public.trigger_limit_booking_length()
-- Named to fire after amenity_bookings_guard_references (BEFORE triggers run in name order):
-- the amenity it reads is then known to be this community's.
create trigger amenity_bookings_limit_length
  before insert or update of during, amenity_id on public.amenity_bookings
  for each row execute function public.trigger_limit_booking_length();
