/**
 * invite-member (and health) behind the real gateway, against a deployed backend: every status
 * path, the rank rules and RLS both ways, and the audit row the insert leaves.
 */
import { errorBody, getAccessToken, getAnonKey, useShippedFunctions } from "./functions-fixtures";

const { suite, call, query } = useShippedFunctions();

function getInvitations(email: string) {
  return query(
    "select organization_id, email, role, invited_by from public.invitations where email = $1",
    [email],
  );
}

describe("health", () => {
  it("answers without a token when the database answers", async () => {
    const response = await fetch(`${suite.runtime.url}/functions/v1/health`);
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 200,
      body: { status: "ok", database: "ok" },
    });
  });
});

describe("invite-member", () => {
  const invite = (org: string, email: string, role?: string) => ({
    organizationId: org,
    email,
    ...(role ? { role } : {}),
  });

  it("lets an admin invite a member, audited with the admin, their IP and user agent", async () => {
    const result = await call(
      "invite-member",
      invite(suite.tenants.orgA, " New.Member@Example.com "),
      {
        as: suite.tenants.adminA,
      },
    );
    expect(result).toEqual({
      status: 201,
      body: {
        invitation: {
          id: expect.any(String),
          organizationId: suite.tenants.orgA,
          email: "new.member@example.com",
          role: "member",
          expiresAt: expect.any(String),
        },
      },
    });
    const audit = await query(
      `select actor_id, actor_role, action, host(ip_address) as ip, user_agent
         from public.audit_logs where table_name = 'public.invitations' and record_id = $1`,
      [result.body.invitation.id],
    );
    expect(audit).toEqual([
      {
        actor_id: suite.tenants.adminA.userId,
        actor_role: "authenticated",
        action: "INSERT",
        ip: "127.0.0.1",
        user_agent: "functions-test/1.0",
      },
    ]);
  });

  it("lets an owner invite an admin", async () => {
    const result = await call(
      "invite-member",
      invite(suite.tenants.orgA, "new-admin@example.com", "admin"),
      {
        as: suite.tenants.ownerA,
      },
    );
    expect(result.status).toBe(201);
    expect(await getInvitations("new-admin@example.com")).toEqual([
      {
        organization_id: suite.tenants.orgA,
        email: "new-admin@example.com",
        role: "admin",
        invited_by: suite.tenants.ownerA.userId,
      },
    ]);
  });

  it("refuses an admin inviting an admin (rank) with 403", async () => {
    const result = await call(
      "invite-member",
      invite(suite.tenants.orgA, "peer@example.com", "admin"),
      {
        as: suite.tenants.adminA,
      },
    );
    expect(result).toEqual({
      status: 403,
      body: errorBody(
        "forbidden",
        `Your role in organization ${suite.tenants.orgA} is admin: you may invite only to a role ranked below it (owner > admin > member > viewer), and "admin" is not.`,
      ),
    });
    expect(await getInvitations("peer@example.com")).toEqual([]);
  });

  it("refuses a member inviting anyone with 403", async () => {
    const result = await call(
      "invite-member",
      invite(suite.tenants.orgA, "friend@example.com", "viewer"),
      {
        as: suite.tenants.memberA,
      },
    );
    expect(result).toEqual({
      status: 403,
      body: errorBody(
        "forbidden",
        `Your role in organization ${suite.tenants.orgA} is member: only an owner or admin may invite.`,
      ),
    });
    expect(await getInvitations("friend@example.com")).toEqual([]);
  });

  it("refuses the owner of another organization with 404, and lets that organization's owner invite", async () => {
    const intruder = await call("invite-member", invite(suite.tenants.orgB, "mole@example.com"), {
      as: suite.tenants.ownerA,
    });
    expect(intruder).toEqual({
      status: 404,
      body: errorBody(
        "organization_not_found",
        `You are not a member of organization ${suite.tenants.orgB}.`,
      ),
    });
    expect(await getInvitations("mole@example.com")).toEqual([]);
    const owner = await call("invite-member", invite(suite.tenants.orgB, "mole@example.com"), {
      as: suite.tenants.ownerB,
    });
    expect(owner.status).toBe(201);
    expect(await getInvitations("mole@example.com")).toEqual([
      {
        organization_id: suite.tenants.orgB,
        email: "mole@example.com",
        role: "member",
        invited_by: suite.tenants.ownerB.userId,
      },
    ]);
  });

  it.each([
    ["owner", "public.invitations.role cannot be 'owner'; use admin, member or viewer."],
    ["superuser", "public.invitations.role cannot be 'superuser'; use admin, member or viewer."],
  ])("refuses role %s with the role guard's 400", async (role, message) => {
    const result = await call(
      "invite-member",
      invite(suite.tenants.orgA, `${role}@example.com`, role),
      {
        as: suite.tenants.ownerA,
      },
    );
    expect(result).toEqual({
      status: 400,
      body: errorBody(
        "invalid_value",
        `${message} Roles rank owner > admin > member > viewer; a new role is added to orgstack.get_role_ladder().`,
      ),
    });
  });

  it("refuses a second open invitation for one address with 409", async () => {
    const body = invite(suite.tenants.orgA, "twice@example.com");
    expect((await call("invite-member", body, { as: suite.tenants.ownerA })).status).toBe(201);
    expect(await call("invite-member", body, { as: suite.tenants.adminA })).toEqual({
      status: 409,
      body: errorBody(
        "invitation_exists",
        `twice@example.com already has an open invitation to organization ${suite.tenants.orgA}; withdraw it or wait until it is accepted.`,
      ),
    });
  });

  it("refuses an invalid body with 400, malformed JSON with 400 and another content type with 415", async () => {
    const invalid = await call(
      "invite-member",
      { organizationId: suite.tenants.orgA, email: "nobody" },
      {
        as: suite.tenants.ownerA,
      },
    );
    expect(invalid).toEqual({
      status: 400,
      body: errorBody(
        "invalid_body",
        'The body is invalid: email: Invalid email address (got "nobody").',
      ),
    });
    const malformed = await call("invite-member", "{'single': 'quotes'}", {
      as: suite.tenants.ownerA,
    });
    expect(malformed).toEqual({
      status: 400,
      body: errorBody(
        "invalid_json",
        "The body is not valid JSON: Expected property name or '}' in JSON at position 1 (line 1 column 2).",
      ),
    });
    const form = await call("invite-member", "email=x", {
      as: suite.tenants.ownerA,
      headers: { "content-type": "text/plain" },
    });
    expect(form).toEqual({
      status: 415,
      body: errorBody(
        "unsupported_media_type",
        'Content-Type must be application/json; got "text/plain".',
      ),
    });
  });

  it("is refused by the gateway without a token (401), with the anon key (403) and for GET (405)", async () => {
    const body = invite(suite.tenants.orgA, "anonymous@example.com");
    expect((await call("invite-member", body)).status).toBe(401);
    const anon = await call("invite-member", body, {
      headers: { authorization: `Bearer ${getAnonKey()}` },
    });
    expect(anon.status).toBe(403);
    const get = await fetch(`${suite.runtime.url}/functions/v1/invite-member`, {
      headers: { authorization: `Bearer ${getAccessToken(suite.tenants.ownerA)}` },
    });
    expect(get.status).toBe(405);
    expect(await getInvitations("anonymous@example.com")).toEqual([]);
  });
});
