-- orgstack:object function ops.take_rate_limit_token(text, text, integer, integer)
-- take_rate_limit_token(function_name, subject, capacity, per_seconds)
--   -> table (allowed boolean, remaining integer, retry_after_seconds integer):
-- takes one token from the function x subject bucket, which holds up to capacity tokens and
-- refills at capacity / per_seconds per second. A refusal says how many whole seconds until a
-- token is back, for Retry-After. The bucket row is locked for the update, so concurrent calls
-- from any number of gateway instances each see the previous one's result.
-- Callers: service_role (the edge runtime).
create or replace function ops.take_rate_limit_token(
  function_name text,
  subject text,
  capacity integer,
  per_seconds integer
)
returns table (allowed boolean, remaining integer, retry_after_seconds integer)
language plpgsql
security definer
set search_path = ''
as $$
declare
  rate double precision;
  available double precision;
begin
  if take_rate_limit_token.capacity < 1 or take_rate_limit_token.per_seconds < 1 then
    raise exception using errcode = '22023',
      message = format('capacity and per_seconds must be at least 1; found %s and %s.',
        take_rate_limit_token.capacity, take_rate_limit_token.per_seconds),
      hint = 'Declare the rate limit as { requests >= 1, perSeconds >= 1 }.';
  end if;
  rate := take_rate_limit_token.capacity::double precision / take_rate_limit_token.per_seconds;
  -- clock_timestamp, not now(): a call that waited for the row lock refills up to when it runs.
  insert into ops.rate_limit_buckets as b (function_name, subject, tokens, updated_at)
  values (take_rate_limit_token.function_name, take_rate_limit_token.subject,
          take_rate_limit_token.capacity, clock_timestamp())
  on conflict on constraint rate_limit_buckets_pkey do update
     set tokens = least(take_rate_limit_token.capacity::double precision, b.tokens
           + rate * greatest(0, extract(epoch from clock_timestamp() - b.updated_at))),
         updated_at = clock_timestamp()
  returning b.tokens into available;
  allowed := available >= 1;
  if allowed then
    available := available - 1;
    update ops.rate_limit_buckets b set tokens = available
     where b.function_name = take_rate_limit_token.function_name
       and b.subject = take_rate_limit_token.subject;
  end if;
  remaining := floor(available)::integer;
  retry_after_seconds := case when allowed then 0 else greatest(1, ceil((1 - available) / rate))::integer end;
  return next;
end;
$$;
revoke execute on function ops.take_rate_limit_token(text, text, integer, integer) from public;
grant execute on function ops.take_rate_limit_token(text, text, integer, integer) to service_role;
