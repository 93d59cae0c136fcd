import { HttpError, toHttpError } from "../../functions/_shared/errors";

/** A pg error as node-postgres raises it: message, SQLSTATE, and the constraint when one failed. */
function pgError(fields: { message: string; code: string; constraint?: string; hint?: string }) {
  return Object.assign(new Error(fields.message), fields);
}

describe("toHttpError (functions/_shared)", () => {
  it("replaces a constraint's own message, which names tables and constraints, with a sentence", () => {
    const duplicate = pgError({
      code: "23505",
      constraint: "invitations_open_email_key",
      message: 'duplicate key value violates unique constraint "invitations_open_email_key"',
    });
    expect(toHttpError(duplicate)).toMatchObject({
      status: 409,
      code: "conflict",
      message: "A row with these values already exists.",
    });
  });

  it("keeps the written message and hint of a platform raise, which names no constraint", () => {
    const guard = pgError({
      code: "23514",
      message: "public.invitations.role cannot be 'guest'; use admin, member or viewer.",
      hint: "Pick a role of the ladder.",
    });
    expect(toHttpError(guard)).toMatchObject({
      status: 400,
      code: "invalid_value",
      message:
        "public.invitations.role cannot be 'guest'; use admin, member or viewer. Pick a role of the ladder.",
    });
  });

  it("hides anything else behind internal_error", () => {
    const error = toHttpError(new Error('relation "secret_table" does not exist'));
    expect(error).toBeInstanceOf(HttpError);
    expect(error.message).not.toContain("secret_table");
    expect(error.status).toBe(500);
  });
});
