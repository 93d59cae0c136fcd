import type { BackendFunctions } from "./components";

/** The web app's origin in development: the only origin the functions answer CORS for. */
const APP_ORIGINS = ["http://localhost:3000"];

/**
 * The application's edge functions, in functions/ (Supabase layout). Each declaration is what
 * the gateway enforces before the function's code runs.
 */
export const FUNCTIONS: BackendFunctions = {
  dir: "functions",
  functions: [
    // Pings the database: it needs the authenticator URL like the others.
    {
      name: "health",
      auth: "none",
      methods: ["GET"],
      corsOrigins: APP_ORIGINS,
      env: ["SUPABASE_DB_URL"],
    },
    {
      name: "invite-member",
      auth: "user",
      methods: ["POST"],
      corsOrigins: APP_ORIGINS,
      // An admin invites a handful of people at a time; a script spamming invitations does not.
      rateLimit: { requests: 30, perSeconds: 60 },
      env: ["SUPABASE_DB_URL"],
    },
    {
      name: "accept-invitation",
      auth: "user",
      methods: ["POST"],
      corsOrigins: APP_ORIGINS,
      env: ["SUPABASE_DB_URL"],
    },
  ],
};
