/** Where a request goes: the gateway's own health check, a function, or nowhere. */
export type Route =
  | { readonly kind: "health" }
  | { readonly kind: "function"; readonly name: string; readonly path: string }
  | { readonly kind: "none" };

/** The prefix Supabase clients call: `<url>/functions/v1/<name>`. */
export const FUNCTIONS_PREFIX = "/functions/v1/";

/** Function folder names: what the Supabase CLI accepts, and never `_shared` or a dot-name. */
const FUNCTION_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/**
 * Maps a URL path to a route. A function sees its own name and sub-path (`/<name>/a/b`), as
 * functions on Supabase do, so routers written with a `/<name>` base path work unchanged.
 */
export function getRoute(method: string, pathname: string): Route {
  if (pathname === "/health" && (method === "GET" || method === "HEAD")) return { kind: "health" };
  if (!pathname.startsWith(FUNCTIONS_PREFIX)) return { kind: "none" };
  const rest = pathname.slice(FUNCTIONS_PREFIX.length);
  const slash = rest.indexOf("/");
  const name = slash === -1 ? rest : rest.slice(0, slash);
  if (!FUNCTION_NAME.test(name)) return { kind: "none" };
  return { kind: "function", name, path: `/${rest}` };
}
