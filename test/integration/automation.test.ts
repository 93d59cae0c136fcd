import { withClient } from "../../components/lib/pg";
import { planTenantTable } from "../../components/tenancy";
import { createUser, withApiRequest, type ApiCaller } from "../../tools/testing/api-request";
import { applySqlObjects, deployBackend } from "../../tools/testing/deploy";
import { createTestDatabase, type TestDatabase } from "../../tools/testing/test-database";

describe("automation inside the database", () => {
  let database: TestDatabase;
  let owner: ApiCaller & { userId: string };
  let member: ApiCaller & { userId: string };
  let organizationId: string;
  const query = async (sql: string, values: unknown[] = []) =>
    (await withClient(database.url, (c) => c.query(sql, values))).rows;
  const headers = { "x-forwarded-for": "203.0.113.7, 10.0.0.1", "user-agent": "orgstack-test/1.0" };

  beforeAll(async () => {
    database = await createTestDatabase();
    await deployBackend(database);
    owner = await createUser(database.url, "owner@example.test");
    member = await createUser(database.url, "member@example.test");
    organizationId = await withApiRequest(database.url, owner, async (c) => {
      const { rows } = await c.query("select id from public.create_organization('Acme', 'acme')");
      return rows[0].id;
    });
    await withApiRequest(database.url, owner, (c) =>
      c.query(
        "insert into public.invitations (organization_id, email, role, invited_by) values ($1, $2, 'member', $3)",
        [organizationId, member.email, owner.userId],
      ),
    );
    await withApiRequest(database.url, member, (c) =>
      c.query("select public.accept_invitation(id) from public.invitations where email = $1", [
        member.email,
      ]),
    );
  });
  afterAll(() => database.drop());

  describe("audit trail", () => {
    let projectId: string;

    it("records an insert with the actor, the request's IP and user agent, and the new row", async () => {
      projectId = await withApiRequest(database.url, { ...member, headers }, async (c) => {
        const { rows } = await c.query(
          "insert into public.projects (organization_id, name) values ($1, 'Roadmap') returning id",
          [organizationId],
        );
        return rows[0].id;
      });
      const rows = await query(
        "select organization_id, actor_id, actor_role, action, table_name, record_id, old_data, new_data ->> 'name' as name, host(ip_address) as ip, user_agent from public.audit_logs where record_id = $1",
        [projectId],
      );
      expect(rows).toEqual([
        {
          organization_id: organizationId,
          actor_id: member.userId,
          actor_role: "authenticated",
          action: "INSERT",
          table_name: "public.projects",
          record_id: projectId,
          old_data: null,
          name: "Roadmap",
          ip: "203.0.113.7",
          user_agent: "orgstack-test/1.0",
        },
      ]);
    });

    it("records only the changed columns of an update, and the whole old row of a delete", async () => {
      await withApiRequest(database.url, member, (c) =>
        c.query("update public.projects set description = 'Q3 plan' where id = $1", [projectId]),
      );
      await withApiRequest(database.url, member, (c) =>
        c.query("delete from public.projects where id = $1", [projectId]),
      );
      const rows = await query(
        `select action, old_data, new_data from public.audit_logs where record_id = $1 and action <> 'INSERT' order by id`,
        [projectId],
      );
      expect(rows[0].action).toBe("UPDATE");
      expect(Object.keys(rows[0].new_data).sort()).toEqual(["description", "updated_at"]);
      expect(rows[0].old_data.description).toBeNull();
      expect(rows[0].new_data.description).toBe("Q3 plan");
      expect(rows[1]).toMatchObject({
        action: "DELETE",
        new_data: null,
        old_data: expect.objectContaining({ name: "Roadmap", id: projectId }),
      });
    });

    it("names the database role for service work, and leaves out excluded columns", async () => {
      await query(
        `create table public.api_keys (
           id uuid primary key default gen_random_uuid(),
           organization_id uuid not null references public.organizations (id),
           label text not null, secret text not null,
           created_at timestamptz not null default now(), updated_at timestamptz not null default now())`,
      );
      await applySqlObjects(
        database,
        planTenantTable(
          {
            table: "api_keys",
            access: "members-read/admins-write",
            audit: { excludeColumns: ["secret"] },
          },
          "test",
        ),
      );
      await query(
        "insert into public.api_keys (organization_id, label, secret) values ($1, 'ci', 's3cret')",
        [organizationId],
      );
      const rows = await query(
        "select actor_id, actor_role, new_data from public.audit_logs where table_name = 'public.api_keys'",
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actor_id: null, actor_role: "postgres" });
      expect(rows[0].new_data.label).toBe("ci");
      expect(rows[0].new_data).not.toHaveProperty("secret");
    });

    it.each([
      [
        "authenticated",
        "update public.audit_logs set action = 'DELETE'",
        "permission denied for table audit_logs",
      ],
      ["authenticated", "delete from public.audit_logs", "permission denied for table audit_logs"],
      [
        "service_role",
        "update public.audit_logs set action = 'DELETE'",
        "permission denied for table audit_logs",
      ],
      ["service_role", "delete from public.audit_logs", "permission denied for table audit_logs"],
      [
        "service_role",
        "select set_config('orgstack.purging_audit_logs', 'on', true); delete from public.audit_logs",
        "permission denied for table audit_logs",
      ],
      [
        "owner",
        "update public.audit_logs set action = 'DELETE'",
        "The audit trail is append-only: UPDATE on public.audit_logs is not allowed.",
      ],
      [
        "owner",
        "delete from public.audit_logs",
        "The audit trail is append-only: DELETE on public.audit_logs is not allowed.",
      ],
      [
        "owner",
        "select set_config('orgstack.purging_audit_logs', 'on', true); delete from public.audit_logs where false; update public.audit_logs set user_agent = 'x'",
        "The audit trail is append-only: UPDATE on public.audit_logs is not allowed.",
      ],
      [
        "owner",
        "truncate public.audit_logs",
        "The audit trail is append-only: TRUNCATE on public.audit_logs is not allowed.",
      ],
    ])("is append-only: %s cannot run '%s'", async (who, statement, message) => {
      const before = await query(
        "select count(*)::int as n, max(id) as last from public.audit_logs",
      );
      const run = (c: import("pg").Client) => c.query(statement);
      const attempt =
        who === "owner"
          ? withClient(database.url, run)
          : withApiRequest(database.url, { ...owner, role: who as ApiCaller["role"] }, run);
      await expect(attempt).rejects.toThrow(message);
      expect(
        await query("select count(*)::int as n, max(id) as last from public.audit_logs"),
      ).toEqual(before);
    });

    it("lets only the retention job remove old rows", async () => {
      await query(
        "insert into public.audit_logs (organization_id, action, table_name, created_at) values ($1, 'INSERT', 'public.old', now() - interval '400 days')",
        [organizationId],
      );
      const total = (await query("select count(*)::int as n from public.audit_logs"))[0].n;
      expect(await query("select ops.purge_audit_logs(365) as purged")).toEqual([{ purged: 1 }]);
      expect((await query("select count(*)::int as n from public.audit_logs"))[0].n).toBe(
        total - 1,
      );
      await expect(query("select ops.purge_audit_logs(0)")).rejects.toThrow(
        "retention_days must be at least 1; found 0.",
      );
    });
  });

  describe("activity feed and notifications", () => {
    it("records the mapped activity for members and projects", async () => {
      await withApiRequest(database.url, member, (c) =>
        c.query("insert into public.projects (organization_id, name) values ($1, 'Launch')", [
          organizationId,
        ]),
      );
      const activity = await withApiRequest(
        database.url,
        member,
        async (c) =>
          (
            await c.query(
              "select activity_type, actor_id, description from public.activity_feed order by id",
            )
          ).rows,
      );
      expect(activity).toEqual(
        expect.arrayContaining([
          { activity_type: "member.joined", actor_id: owner.userId, description: "owner" },
          { activity_type: "invitation.sent", actor_id: owner.userId, description: member.email },
          { activity_type: "member.joined", actor_id: member.userId, description: "member" },
          { activity_type: "project.created", actor_id: member.userId, description: "Launch" },
        ]),
      );
    });

    it("notifies the invited user, the member whose role changed, and a newly assigned owner", async () => {
      const third = await createUser(database.url, "third@example.test");
      await withApiRequest(database.url, owner, (c) =>
        c.query(
          "insert into public.invitations (organization_id, email, role, invited_by) values ($1, $2, 'viewer', $3)",
          [organizationId, third.email, owner.userId],
        ),
      );
      await withApiRequest(database.url, owner, (c) =>
        c.query("select public.change_member_role($1, $2, 'admin')", [
          organizationId,
          member.userId,
        ]),
      );
      await withApiRequest(database.url, member, (c) =>
        c.query("update public.projects set owner_id = $1 where name = 'Launch'", [owner.userId]),
      );
      await withApiRequest(database.url, owner, (c) =>
        c.query("insert into public.projects (organization_id, name) values ($1, 'Own idea')", [
          organizationId,
        ]),
      );
      const inbox = async (caller: ApiCaller) =>
        withApiRequest(
          database.url,
          caller,
          async (c) =>
            (await c.query("select type, title from public.notifications order by id")).rows,
        );
      expect(await inbox(third)).toEqual([
        { type: "invitation.received", title: "You are invited to join Acme" },
      ]);
      expect(await inbox(member)).toEqual(
        expect.arrayContaining([
          { type: "member.role_changed", title: "You are now admin of Acme" },
        ]),
      );
      // The owner assigned to 'Launch' by someone else hears of it; creating 'Own idea' themselves does not notify.
      expect((await inbox(owner)).filter((n) => n.type === "project.assigned")).toEqual([
        { type: "project.assigned", title: "Launch" },
      ]);
    });
  });

  describe("counters", () => {
    it("stay exact under concurrent inserts and deletes", async () => {
      const users = await Promise.all(
        Array.from({ length: 40 }, (_, i) => createUser(database.url, `crowd${i}@example.test`)),
      );
      // 8 connections at once: each adds 5 members and 5 projects, then removes 2 of each.
      await Promise.all(
        Array.from({ length: 8 }, (_, worker) =>
          withClient(database.url, async (c) => {
            const mine = users.slice(worker * 5, worker * 5 + 5);
            for (const user of mine) {
              await c.query(
                "insert into public.organization_members (organization_id, user_id, role) values ($1, $2, 'viewer')",
                [organizationId, user.userId],
              );
              await c.query("insert into public.projects (organization_id, name) values ($1, $2)", [
                organizationId,
                `p-${user.email}`,
              ]);
            }
            for (const user of mine.slice(0, 2)) {
              await c.query(
                "delete from public.organization_members where organization_id = $1 and user_id = $2",
                [organizationId, user.userId],
              );
              await c.query("delete from public.projects where name = $1", [`p-${user.email}`]);
            }
          }),
        ),
      );
      const [counts] = await query(
        `select o.member_count, o.project_count,
                (select count(*)::int from public.organization_members m where m.organization_id = o.id) as members,
                (select count(*)::int from public.projects p where p.organization_id = o.id) as projects
           from public.organizations o where o.id = $1`,
        [organizationId],
      );
      expect(counts.member_count).toBe(counts.members);
      expect(counts.project_count).toBe(counts.projects);
      expect(counts.members).toBeGreaterThanOrEqual(2 + 8 * 3);
    });
  });
});
