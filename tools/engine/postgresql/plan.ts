/**
 * Terraform plugin SDK schema semantics, as the Pulumi bridge applies them to a diff: an unset
 * input takes the schema's Default, keeps the stored value when Computed, and is otherwise the
 * type's zero value (so an unset set input means the empty set). ForceNew changes replace.
 */

export type PropertyKind = "string" | "bool" | "int" | "set" | "list";

export interface Property {
  readonly kind: PropertyKind;
  readonly default?: string | boolean | number;
  /** Optional + Computed without Default: the provider fills it in; unset keeps the state. */
  readonly computed?: boolean;
  readonly forceNew?: boolean;
}

/** A resource's schema, by Pulumi property name (camelCase of the Terraform attribute). */
export type PropertySchema = Readonly<Record<string, Property>>;

export type Values = Record<string, unknown>;

/** A resource as the engine stores it. */
export interface StandInState {
  readonly id: string;
  readonly outputs: Values;
}

function getZero(kind: PropertyKind): unknown {
  if (kind === "string") return "";
  if (kind === "bool") return false;
  if (kind === "int") return 0;
  return [];
}

function normalize(property: Property, value: unknown): unknown {
  if (value === undefined || value === null) return getZero(property.kind);
  if (property.kind === "set") return [...(value as unknown[])].map(String).sort();
  return value;
}

function isSame(property: Property, a: unknown, b: unknown): boolean {
  return JSON.stringify(normalize(property, a)) === JSON.stringify(normalize(property, b));
}

/** 'a', 'b': names as messages list them. */
export function getQuotedList(names: readonly string[]): string {
  return names.map((name) => `'${name}'`).join(", ");
}

/** Throws for an input the stand-in does not model, rather than ignoring it silently. */
export function validateInputs(type: string, schema: PropertySchema, inputs: Values): void {
  const unknown = Object.keys(inputs).filter((key) => !(key in schema) && inputs[key] != null);
  if (unknown.length > 0)
    throw new Error(
      `The postgresql stand-in does not model ${getQuotedList(unknown)} of '${type}'.`,
    );
}

/** The values the provider works with for `news`, given the stored `olds` (empty on create). */
export function getPlanned(schema: PropertySchema, olds: Values, news: Values): Values {
  const planned: Values = {};
  for (const [name, property] of Object.entries(schema)) {
    const value = news[name];
    if (value !== undefined && value !== null) planned[name] = normalize(property, value);
    else if (property.default !== undefined) planned[name] = property.default;
    else if (property.computed && olds[name] !== undefined) planned[name] = olds[name];
    else planned[name] = getZero(property.kind);
  }
  return planned;
}

/** Properties whose planned value differs from the stored one; those that force replacement. */
export function getDiff(schema: PropertySchema, olds: Values, news: Values) {
  const planned = getPlanned(schema, olds, news);
  const diffs = Object.keys(schema).filter(
    (name) => !isSame(schema[name], olds[name], planned[name]),
  );
  const replaces = diffs.filter((name) => schema[name].forceNew);
  return { changes: diffs.length > 0, replaces, diffs };
}
