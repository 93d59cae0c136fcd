import type * as pulumi from "@pulumi/pulumi";
import {
  callManagementApi,
  describeApiFailure,
  getDeleteRequest,
  getDeployRequest,
  getReadRequest,
  type ApiRequest,
  type ApiTarget,
  type RemoteFunction,
  type UploadFile,
} from "./supabase-api";

export interface SupabaseFunctionInputs {
  /** The Management API; https://api.supabase.com unless a test points it elsewhere. */
  readonly apiUrl: string;
  readonly projectRef: string;
  /** A personal access token: a secret, never in a message. */
  readonly accessToken: string;
  readonly slug: string;
  /** Supabase's gateway checks a JWT before the function runs (every auth mode but "none"). */
  readonly verifyJwt: boolean;
  /** `<slug>/index.ts`: a path among `files`. */
  readonly entrypointPath: string;
  /** The functions folder's deno.json, when it has one. */
  readonly importMapPath?: string;
  readonly files: readonly UploadFile[];
  /** What decides a redeploy: the files' and the settings' hashes (plan.ts). */
  readonly codeHash: string;
  readonly settingsHash: string;
}

export interface SupabaseFunctionOutputs extends SupabaseFunctionInputs {
  readonly functionId: string;
  /** The version the stack's last deploy made. */
  readonly deployedVersion: number;
  /** What the API reported when last read: after a deploy by hand they differ from ours. */
  readonly version: number;
  readonly remoteVerifyJwt: boolean;
}

const SLUG = /^[A-Za-z][A-Za-z0-9_-]*$/;
const PROJECT_REF = /^[a-z]{20}$/;
/** What the engine sends for a value a preview does not know yet. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function getTarget(inputs: SupabaseFunctionInputs): ApiTarget {
  return { apiUrl: inputs.apiUrl, projectRef: inputs.projectRef, accessToken: inputs.accessToken };
}

function describeFunction(inputs: SupabaseFunctionInputs): string {
  return `function '${inputs.slug}' of Supabase project '${inputs.projectRef}'`;
}

/** Reads the function; undefined when the project has none with this slug (404). */
async function readRemote(inputs: SupabaseFunctionInputs): Promise<RemoteFunction | undefined> {
  const request = getReadRequest(inputs.projectRef, inputs.slug);
  const response = await callManagementApi(getTarget(inputs), request);
  if (response.status === 404) return undefined;
  if (response.status !== 200) {
    throw new Error(
      `Could not read ${describeFunction(inputs)}: ${describeApiFailure(request, response)}`,
    );
  }
  return response.body as RemoteFunction;
}

async function deploy(inputs: SupabaseFunctionInputs): Promise<SupabaseFunctionOutputs> {
  const request: ApiRequest = getDeployRequest(inputs.projectRef, inputs.slug, {
    metadata: {
      entrypoint_path: inputs.entrypointPath,
      name: inputs.slug,
      verify_jwt: inputs.verifyJwt,
      ...(inputs.importMapPath ? { import_map_path: inputs.importMapPath } : {}),
    },
    files: inputs.files,
  });
  const response = await callManagementApi(getTarget(inputs), request);
  if (response.status !== 201 && response.status !== 200) {
    throw new Error(
      `Could not deploy ${describeFunction(inputs)}: ${describeApiFailure(request, response)}`,
    );
  }
  const deployed = response.body as RemoteFunction;
  return {
    ...inputs,
    functionId: deployed.id,
    deployedVersion: deployed.version,
    version: deployed.version,
    remoteVerifyJwt: deployed.verify_jwt ?? inputs.verifyJwt,
  };
}

/** Whether the project must get the code again: it, its settings or the deployed one changed. */
function needsDeploy(olds: SupabaseFunctionOutputs, news: SupabaseFunctionInputs): boolean {
  const drifted = olds.version !== olds.deployedVersion || olds.remoteVerifyJwt !== olds.verifyJwt;
  return (
    drifted ||
    olds.codeHash !== news.codeHash ||
    olds.settingsHash !== news.settingsHash ||
    olds.verifyJwt !== news.verifyJwt ||
    olds.entrypointPath !== news.entrypointPath ||
    (olds.importMapPath ?? "") !== (news.importMapPath ?? "")
  );
}

function checkInputs(news: SupabaseFunctionInputs): pulumi.dynamic.CheckFailure[] {
  const failures: pulumi.dynamic.CheckFailure[] = [];
  const known = (value: string) => value !== UNKNOWN;
  if (known(news.slug) && !SLUG.test(news.slug)) {
    failures.push({
      property: "slug",
      reason: `'slug': expected letters, digits, '_' or '-', starting with a letter; found ${JSON.stringify(news.slug)}.`,
    });
  }
  if (known(news.projectRef) && !PROJECT_REF.test(news.projectRef)) {
    failures.push({
      property: "projectRef",
      reason: `'projectRef': expected a Supabase project ref of 20 lowercase letters; found ${JSON.stringify(news.projectRef)}.`,
    });
  }
  if (!news.files.some((file) => file.path === news.entrypointPath)) {
    failures.push({
      property: "entrypointPath",
      reason: `'entrypointPath': "${news.entrypointPath}" is not among the files to upload.`,
    });
  }
  if (known(news.accessToken) && news.accessToken.length === 0) {
    failures.push({ property: "accessToken", reason: "'accessToken' is empty." });
  }
  return failures;
}

/**
 * Dynamic provider for one edge function of a Supabase project, through the Management API
 * (supabase-api.ts). Keep it a plain object: Pulumi serializes it.
 */
export const supabaseFunctionProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: unknown, news: SupabaseFunctionInputs) {
    return { inputs: news, failures: checkInputs(news) };
  },

  /**
   * Code, settings and drift found by refresh redeploy; another project or slug replaces. A new
   * token or API URL alone is stored by an update that calls nothing: delete needs the current
   * token, and it only ever gets the stored outputs.
   */
  async diff(_id: string, olds: SupabaseFunctionOutputs, news: SupabaseFunctionInputs) {
    const replaces = (["projectRef", "slug"] as const).filter((key) => olds[key] !== news[key]);
    const accessChanged = olds.apiUrl !== news.apiUrl || olds.accessToken !== news.accessToken;
    return {
      changes: replaces.length > 0 || accessChanged || needsDeploy(olds, news),
      replaces: [...replaces],
      deleteBeforeReplace: false,
    };
  },

  /** Refuses a slug the project already has: the stack never takes over, or later deletes, a function it did not deploy. */
  async create(inputs: SupabaseFunctionInputs) {
    const existing = await readRemote(inputs);
    if (existing) {
      throw new Error(
        `The ${describeFunction(inputs)} already exists (version ${existing.version}), deployed ` +
          "by hand or by another stack. Delete it (supabase functions delete " +
          `${inputs.slug} --project-ref ${inputs.projectRef}) so the stack owns it, or rename the function.`,
      );
    }
    const outs = await deploy(inputs);
    return { id: `${inputs.projectRef}/${inputs.slug}`, outs };
  },

  /** Gone when the project has no such function; otherwise its version and verify_jwt now. */
  async read(id: string, props: SupabaseFunctionOutputs) {
    const remote = await readRemote(props);
    if (!remote) return {};
    return {
      id,
      props: { ...props, version: remote.version, remoteVerifyJwt: remote.verify_jwt ?? true },
    };
  },

  async update(_id: string, olds: SupabaseFunctionOutputs, news: SupabaseFunctionInputs) {
    if (!needsDeploy(olds, news)) return { outs: { ...olds, ...news } };
    return { outs: await deploy(news) };
  },

  async delete(_id: string, props: SupabaseFunctionOutputs) {
    const request = getDeleteRequest(props.projectRef, props.slug);
    const response = await callManagementApi(getTarget(props), request);
    if (response.status !== 200 && response.status !== 204 && response.status !== 404) {
      throw new Error(
        `Could not delete ${describeFunction(props)}: ${describeApiFailure(request, response)}`,
      );
    }
  },
};
