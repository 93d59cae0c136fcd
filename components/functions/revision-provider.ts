import type * as pulumi from "@pulumi/pulumi";
import type { FunctionSettings } from "./spec";

/** What one function is when the stack's own runtime serves it: its name, settings and hashes. */
export interface FunctionRevisionInputs {
  readonly name: string;
  readonly settings: FunctionSettings;
  readonly codeHash: string;
  readonly settingsHash: string;
}

/**
 * Dynamic provider for a function's revision in the stack's state, where the runtime image
 * carries the code (EdgeRuntime): it reaches nothing outside the state, like Terraform's
 * `terraform_data`, and exists so a preview lists each function whose code or settings changed
 * by name. Keep it a plain object: Pulumi serializes it.
 */
export const functionRevisionProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: unknown, news: FunctionRevisionInputs) {
    return { inputs: news };
  },

  async diff(_id: string, olds: FunctionRevisionInputs, news: FunctionRevisionInputs) {
    return {
      changes:
        olds.codeHash !== news.codeHash ||
        olds.settingsHash !== news.settingsHash ||
        olds.name !== news.name,
      replaces: olds.name !== news.name ? ["name"] : [],
      deleteBeforeReplace: false,
    };
  },

  async create(inputs: FunctionRevisionInputs) {
    return { id: inputs.name, outs: inputs };
  },

  async read(id: string, props: FunctionRevisionInputs) {
    return { id, props };
  },

  async update(_id: string, _olds: FunctionRevisionInputs, news: FunctionRevisionInputs) {
    return { outs: news };
  },

  async delete() {
    // Nothing outside the state: the runtime stops serving the function when its image does.
  },
};
