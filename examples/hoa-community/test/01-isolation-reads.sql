-- Isolation, reads: every table of the app, by persona. Communities oak and elm each hold one
-- row of every table (support/fixtures.sql); oak_member is the resident billed the invoice and
-- the voter. The board (owner, admin) and members read their community's rows, except that a
-- resident reads only the invoices (and their payments) billed to them and a voter only their
-- own vote; nobody reads another community's rows; outsiders read nothing; anon is refused.
begin;
\ir support/fixtures.sql
select plan(216);
select tests.create_community('oak');
select tests.create_community('elm');
select tests.create_outsider();

-- as oak's owner and admin (the board): every oak row, no elm row
select tests.authenticate_as('oak_owner');
select cmp_ok(tests.count_rows(t.table_name, 'oak'), '>', 0, format('oak owner reads oak rows of %s', t.table_name)) from tests.hoa_tables() t;
select is(tests.count_rows(t.table_name, 'elm'), 0, format('oak owner reads no elm row of %s', t.table_name)) from tests.hoa_tables() t;
reset role;
select tests.authenticate_as('oak_admin');
select cmp_ok(tests.count_rows(t.table_name, 'oak'), '>', 0, format('oak admin reads oak rows of %s', t.table_name)) from tests.hoa_tables() t;
select is(tests.count_rows(t.table_name, 'elm'), 0, format('oak admin reads no elm row of %s', t.table_name)) from tests.hoa_tables() t;
reset role;

-- as oak's member, the resident: every oak row, their own invoice, payment and vote among them
select tests.authenticate_as('oak_member');
select cmp_ok(tests.count_rows(t.table_name, 'oak'), '>', 0, format('oak member reads oak rows of %s', t.table_name)) from tests.hoa_tables() t;
select is(tests.count_rows(t.table_name, 'elm'), 0, format('oak member reads no elm row of %s', t.table_name)) from tests.hoa_tables() t;
reset role;

-- as oak's viewer (not a resident): the community's rows, but no invoice, payment or vote
select tests.authenticate_as('oak_viewer');
select is(tests.count_rows(t.table_name, 'oak') > 0, t.access not in ('billing', 'votes'),
          format('oak viewer reads oak rows of %s: %s', t.table_name, t.access not in ('billing', 'votes')))
  from tests.hoa_tables() t;
select is(tests.count_rows(t.table_name, 'elm'), 0, format('oak viewer reads no elm row of %s', t.table_name)) from tests.hoa_tables() t;
reset role;

-- as a user in no community
select tests.authenticate_as('outsider');
select is(tests.count_rows(t.table_name, c), 0, format('outsider reads no %s row of %s', c, t.table_name))
  from tests.hoa_tables() t, unnest(array['oak', 'elm']) c;
reset role;

-- as anon: no table is readable at all
select tests.authenticate_as_anon();
select throws_ok(format('select count(*) from %s', t.table_name), '42501',
                 format('permission denied for table %s', regexp_replace(t.table_name::text, '^.*[.]', '')),
                 format('anon cannot read %s', t.table_name))
  from tests.hoa_tables() t;
reset role;

-- as the service role (edge functions, jobs): both communities
select tests.authenticate_with_key('service_role');
select is(tests.count_rows(t.table_name, 'oak') > 0 and tests.count_rows(t.table_name, 'elm') > 0, true,
          format('the service role reads both communities'' rows of %s', t.table_name))
  from tests.hoa_tables() t;
reset role;

select * from finish();
rollback;
