/**
 * The shipped functions (health, invite-member, accept-invitation) behind the real gateway,
 * against a deployed backend: every status path, RLS and the rank rules through the functions,
 * the audit trail they leave, and a call through the real supabase-js client.
 */
import { createClient } from "@supabase/supabase-js";
import { withClient } from "../../components/lib/pg";
import type { EdgeRuntime } from "../../tools/testing/edge-runtime";
import {
  createFunctionsBackend,
  createTenants,
  getAccessToken,
  getAnonKey,
  startShippedFunctions,
  type FunctionsBackend,
  type Member,
  type Tenants,
} from "./functions-fixtures";

let backend: FunctionsBackend;
let tenants: Tenants;
let runtime: EdgeRuntime;

beforeAll(async () => {
  backend = await createFunctionsBackend();
  tenants = await createTenants(backend.database.url);
  runtime = await startShippedFunctions(backend);
});

afterAll(async () => {
  await runtime?.stop();
  await backend?.drop();
});

const CLIENT_HEADERS = { "x-forwarded-for": "203.0.113.7", "user-agent": "functions-test/1.0" };

interface CallOptions {
  readonly as?: Member;
  readonly method?: string;
  readonly headers?: Record<string, string>;
}

/** Calls a function through the gateway with a JSON body (a string is sent as is). */
async function call(name: string, body: unknown, options: CallOptions = {}) {
  const response = await fetch(`${runtime.url}/functions/v1/${name}`, {
    method: options.method ?? "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: {
      "content-type": "application/json",
      ...CLIENT_HEADERS,
      ...(options.as ? { authorization: `Bearer ${getAccessToken(options.as)}` } : {}),
      ...options.headers,
    },
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** The error body the runtime's contract specifies; the request id is the gateway's. */
function errorBody(code: string, message: string) {
  return { error: { code, message, requestId: expect.any(String) } };
}

async function query(text: string, values: unknown[] = []) {
  const { rows } = await withClient(backend.database.url, (c) => c.query(text, values));
  return rows;
}

function getInvitations(email: string) {
  return query(
    "select organization_id, email, role, invited_by from public.invitations where email = $1",
    [email],
  );
}

describe("health", () => {
  it("answers without a token when the database answers", async () => {
    const response = await fetch(`${runtime.url}/functions/v1/health`);
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
    const result = await call("invite-member", invite(tenants.orgA, " New.Member@Example.com "), {
      as: tenants.adminA,
    });
    expect(result).toEqual({
      status: 201,
      body: {
        invitation: {
          id: expect.any(String),
          organizationId: tenants.orgA,
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
        actor_id: tenants.adminA.userId,
        actor_role: "authenticated",
        action: "INSERT",
        ip: "203.0.113.7",
        user_agent: "functions-test/1.0",
      },
    ]);
  });

  it("lets an owner invite an admin", async () => {
    const result = await call(
      "invite-member",
      invite(tenants.orgA, "new-admin@example.com", "admin"),
      {
        as: tenants.ownerA,
      },
    );
    expect(result.status).toBe(201);
    expect(await getInvitations("new-admin@example.com")).toEqual([
      {
        organization_id: tenants.orgA,
        email: "new-admin@example.com",
        role: "admin",
        invited_by: tenants.ownerA.userId,
      },
    ]);
  });

  it("refuses an admin inviting an admin (rank) with 403", async () => {
    const result = await call("invite-member", invite(tenants.orgA, "peer@example.com", "admin"), {
      as: tenants.adminA,
    });
    expect(result).toEqual({
      status: 403,
      body: errorBody(
        "forbidden",
        `Your role in organization ${tenants.orgA} is admin: you may invite only to a role ranked below it (owner > admin > member > viewer), and "admin" is not.`,
      ),
    });
    expect(await getInvitations("peer@example.com")).toEqual([]);
  });

  it("refuses a member inviting anyone with 403", async () => {
    const result = await call(
      "invite-member",
      invite(tenants.orgA, "friend@example.com", "viewer"),
      {
        as: tenants.memberA,
      },
    );
    expect(result).toEqual({
      status: 403,
      body: errorBody(
        "forbidden",
        `Your role in organization ${tenants.orgA} is member: only an owner or admin may invite.`,
      ),
    });
    expect(await getInvitations("friend@example.com")).toEqual([]);
  });

  it("refuses the owner of another organization with 404, and lets that organization's owner invite", async () => {
    const intruder = await call("invite-member", invite(tenants.orgB, "mole@example.com"), {
      as: tenants.ownerA,
    });
    expect(intruder).toEqual({
      status: 404,
      body: errorBody(
        "organization_not_found",
        `You are not a member of organization ${tenants.orgB}.`,
      ),
    });
    expect(await getInvitations("mole@example.com")).toEqual([]);
    const owner = await call("invite-member", invite(tenants.orgB, "mole@example.com"), {
      as: tenants.ownerB,
    });
    expect(owner.status).toBe(201);
    expect(await getInvitations("mole@example.com")).toEqual([
      {
        organization_id: tenants.orgB,
        email: "mole@example.com",
        role: "member",
        invited_by: tenants.ownerB.userId,
      },
    ]);
  });

  it.each([
    ["owner", "public.invitations.role cannot be 'owner'; use admin, member or viewer."],
    ["superuser", "public.invitations.role cannot be 'superuser'; use admin, member or viewer."],
  ])("refuses role %s with the role guard's 400", async (role, message) => {
    const result = await call("invite-member", invite(tenants.orgA, `${role}@example.com`, role), {
      as: tenants.ownerA,
    });
    expect(result).toEqual({
      status: 400,
      body: errorBody(
        "invalid_value",
        `${message} Roles rank owner > admin > member > viewer; a new role is added to orgstack.get_role_ladder().`,
      ),
    });
  });

  it("refuses a second open invitation for one address with 409", async () => {
    const body = invite(tenants.orgA, "twice@example.com");
    expect((await call("invite-member", body, { as: tenants.ownerA })).status).toBe(201);
    expect(await call("invite-member", body, { as: tenants.adminA })).toEqual({
      status: 409,
      body: errorBody(
        "invitation_exists",
        `twice@example.com already has an open invitation to organization ${tenants.orgA}; withdraw it or wait until it is accepted.`,
      ),
    });
  });

  it("refuses an invalid body with 400, malformed JSON with 400 and another content type with 415", async () => {
    const invalid = await call(
      "invite-member",
      { organizationId: tenants.orgA, email: "nobody" },
      {
        as: tenants.ownerA,
      },
    );
    expect(invalid).toEqual({
      status: 400,
      body: errorBody(
        "invalid_body",
        'The body is invalid: email: Invalid email address (got "nobody").',
      ),
    });
    const malformed = await call("invite-member", "{'single': 'quotes'}", { as: tenants.ownerA });
    expect(malformed).toEqual({
      status: 400,
      body: errorBody(
        "invalid_json",
        "The body is not valid JSON: Expected property name or '}' in JSON at position 1 (line 1 column 2).",
      ),
    });
    const form = await call("invite-member", "email=x", {
      as: tenants.ownerA,
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
    const body = invite(tenants.orgA, "anonymous@example.com");
    expect((await call("invite-member", body)).status).toBe(401);
    const anon = await call("invite-member", body, {
      headers: { authorization: `Bearer ${getAnonKey()}` },
    });
    expect(anon.status).toBe(403);
    const get = await fetch(`${runtime.url}/functions/v1/invite-member`, {
      headers: { authorization: `Bearer ${getAccessToken(tenants.ownerA)}` },
    });
    expect(get.status).toBe(405);
    expect(await getInvitations("anonymous@example.com")).toEqual([]);
  });
});

describe("accept-invitation", () => {
  async function inviteOutsider(org: string, inviter: Member, role = "member"): Promise<string> {
    const result = await call(
      "invite-member",
      { organizationId: org, email: tenants.outsider.email, role },
      { as: inviter },
    );
    expect(result.status).toBe(201);
    return result.body.invitation.id;
  }

  async function getMembership(org: string, user: Member) {
    return query(
      "select role from public.organization_members where organization_id = $1 and user_id = $2",
      [org, user.userId],
    );
  }

  it("refuses anyone but the invited address with 403, and lets the invited user join once", async () => {
    const invitationId = await inviteOutsider(tenants.orgB, tenants.ownerB, "viewer");
    const hijack = await call("accept-invitation", { invitationId }, { as: tenants.memberA });
    expect(hijack).toEqual({
      status: 403,
      body: errorBody(
        "forbidden",
        "This invitation does not exist or was sent to another address. Sign in with the invited email address.",
      ),
    });
    expect(await getMembership(tenants.orgB, tenants.memberA)).toEqual([]);

    const accepted = await call("accept-invitation", { invitationId }, { as: tenants.outsider });
    expect(accepted).toEqual({ status: 200, body: { organizationId: tenants.orgB } });
    expect(await getMembership(tenants.orgB, tenants.outsider)).toEqual([{ role: "viewer" }]);
    const audit = await query(
      `select actor_id, actor_role, action, host(ip_address) as ip, user_agent
         from public.audit_logs where table_name = 'public.organization_members' and record_id = $1`,
      [`${tenants.orgB}/${tenants.outsider.userId}`],
    );
    expect(audit).toEqual([
      {
        actor_id: tenants.outsider.userId,
        actor_role: "authenticated",
        action: "INSERT",
        ip: "203.0.113.7",
        user_agent: "functions-test/1.0",
      },
    ]);

    const again = await call("accept-invitation", { invitationId }, { as: tenants.outsider });
    expect(again).toEqual({
      status: 403,
      body: errorBody(
        "forbidden",
        "This invitation was already accepted. Ask an admin of the organization for a new invitation.",
      ),
    });
  });

  it("refuses an expired invitation with 403", async () => {
    const invitationId = await inviteOutsider(tenants.orgA, tenants.adminA);
    const [{ expires_at }] = await query(
      `update public.invitations set expires_at = now() - interval '1 hour' where id = $1
       returning expires_at::text`,
      [invitationId],
    );
    const result = await call("accept-invitation", { invitationId }, { as: tenants.outsider });
    expect(result).toEqual({
      status: 403,
      body: errorBody(
        "forbidden",
        `This invitation expired at ${expires_at}. Ask an admin of the organization for a new invitation.`,
      ),
    });
    expect(await getMembership(tenants.orgA, tenants.outsider)).toEqual([]);
  });

  it("refuses an id that is not a UUID with 400", async () => {
    const result = await call("accept-invitation", { invitationId: 42 }, { as: tenants.outsider });
    expect(result).toEqual({
      status: 400,
      body: errorBody(
        "invalid_body",
        "The body is invalid: invitationId: Invalid input: expected string, received number (got 42).",
      ),
    });
  });
});

/**
 * Node 20 has no global WebSocket and supabase-js asks for one in createClient; functions.invoke
 * never opens one, so this transport only says so if anything ever tries.
 */
class NoWebSocket {
  constructor() {
    throw new Error("These tests open no realtime connection.");
  }
}

describe("supabase-js", () => {
  it("invokes invite-member and accept-invitation through functions.invoke with the stack's URL and anon key", async () => {
    const supabase = createClient(runtime.url, getAnonKey(), {
      auth: { persistSession: false, autoRefreshToken: false },
      realtime: { transport: NoWebSocket as never },
    });
    const invited = await supabase.functions.invoke("invite-member", {
      body: { organizationId: tenants.orgA, email: "via-client@example.com", role: "viewer" },
      headers: { Authorization: `Bearer ${getAccessToken(tenants.adminA)}` },
    });
    expect(invited.error).toBeNull();
    expect(invited.data.invitation).toEqual(
      expect.objectContaining({ email: "via-client@example.com", role: "viewer" }),
    );

    const refused = await supabase.functions.invoke("accept-invitation", {
      body: { invitationId: invited.data.invitation.id },
      headers: { Authorization: `Bearer ${getAccessToken(tenants.memberA)}` },
    });
    expect(refused.data).toBeNull();
    const response = (refused.error as { context: Response }).context;
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: { code: string } };
    expect(body.error.code).toBe("forbidden");
  });
});
