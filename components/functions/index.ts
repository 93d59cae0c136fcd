export { EdgeFunction, type EdgeFunctionArgs, type SupabaseTarget } from "./edge-function";
export { EdgeRuntime, type EdgeRuntimeArgs, type EdgeRuntimeDatabase } from "./edge-runtime";
export {
  AUTH_MODES,
  DEFAULT_SETTINGS,
  EdgeFunctionError,
  validateEdgeFunctionSpec,
  type AuthMode,
  type EdgeFunctionSpec,
  type FunctionSettings,
  type RateLimit,
} from "./spec";
export { buildRuntimeManifest, renderRuntimeManifest, type RuntimeManifest } from "./manifest";
