/**
 * accept-invitation behind the real gateway, against a deployed backend: every status path,
 * the membership and audit row it leaves, and both functions called through supabase-js.
 */
import { createClient } from "@supabase/supabase-js";
import {
  errorBody,
  getAccessToken,
  getAnonKey,
  type Member,
  useShippedFunctions,
} from "./functions-fixtures";

const { suite, call, query } = useShippedFunctions();

describe("accept-invitation", () => {
  async function inviteOutsider(org: string, inviter: Member, role = "member"): Promise<string> {
    const result = await call(
      "invite-member",
      { organizationId: org, email: suite.tenants.outsider.email, role },
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
    const invitationId = await inviteOutsider(suite.tenants.orgB, suite.tenants.ownerB, "viewer");
    const hijack = await call("accept-invitation", { invitationId }, { as: suite.tenants.memberA });
    expect(hijack).toEqual({
      status: 403,
      body: errorBody(
        "forbidden",
        "This invitation does not exist or was sent to another address. Sign in with the invited email address.",
      ),
    });
    expect(await getMembership(suite.tenants.orgB, suite.tenants.memberA)).toEqual([]);

    const accepted = await call(
      "accept-invitation",
      { invitationId },
      { as: suite.tenants.outsider },
    );
    expect(accepted).toEqual({ status: 200, body: { organizationId: suite.tenants.orgB } });
    expect(await getMembership(suite.tenants.orgB, suite.tenants.outsider)).toEqual([
      { role: "viewer" },
    ]);
    const audit = await query(
      `select actor_id, actor_role, action, host(ip_address) as ip, user_agent
         from public.audit_logs where table_name = 'public.organization_members' and record_id = $1`,
      [`${suite.tenants.orgB}/${suite.tenants.outsider.userId}`],
    );
    expect(audit).toEqual([
      {
        actor_id: suite.tenants.outsider.userId,
        actor_role: "authenticated",
        action: "INSERT",
        ip: "127.0.0.1",
        user_agent: "functions-test/1.0",
      },
    ]);

    const again = await call("accept-invitation", { invitationId }, { as: suite.tenants.outsider });
    expect(again).toEqual({
      status: 403,
      body: errorBody(
        "forbidden",
        "This invitation was already accepted. Ask an admin of the organization for a new invitation.",
      ),
    });
  });

  it("refuses an expired invitation with 403", async () => {
    const invitationId = await inviteOutsider(suite.tenants.orgA, suite.tenants.adminA);
    const [{ expires_at }] = await query(
      `update public.invitations set expires_at = now() - interval '1 hour' where id = $1
       returning expires_at::text`,
      [invitationId],
    );
    const result = await call(
      "accept-invitation",
      { invitationId },
      { as: suite.tenants.outsider },
    );
    expect(result).toEqual({
      status: 403,
      body: errorBody(
        "forbidden",
        `This invitation expired at ${expires_at}. Ask an admin of the organization for a new invitation.`,
      ),
    });
    expect(await getMembership(suite.tenants.orgA, suite.tenants.outsider)).toEqual([]);
  });

  it("refuses an id that is not a UUID with 400", async () => {
    const result = await call(
      "accept-invitation",
      { invitationId: 42 },
      { as: suite.tenants.outsider },
    );
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
    const supabase = createClient(suite.runtime.url, getAnonKey(), {
      auth: { persistSession: false, autoRefreshToken: false },
      realtime: { transport: NoWebSocket as never },
    });
    const invited = await supabase.functions.invoke("invite-member", {
      body: { organizationId: suite.tenants.orgA, email: "via-client@example.com", role: "viewer" },
      headers: { Authorization: `Bearer ${getAccessToken(suite.tenants.adminA)}` },
    });
    expect(invited.error).toBeNull();
    expect(invited.data.invitation).toEqual(
      expect.objectContaining({ email: "via-client@example.com", role: "viewer" }),
    );

    const refused = await supabase.functions.invoke("accept-invitation", {
      body: { invitationId: invited.data.invitation.id },
      headers: { Authorization: `Bearer ${getAccessToken(suite.tenants.memberA)}` },
    });
    expect(refused.data).toBeNull();
    const response = (refused.error as { context: Response }).context;
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: { code: string } };
    expect(body.error.code).toBe("forbidden");
  });
});
