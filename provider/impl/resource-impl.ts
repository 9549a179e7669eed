// The shape of one resource's provider implementation, as the shim calls it (the dynamic ResourceProvider methods,
// with outputs typed as plain JSON).
import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { type Json, plainObject } from "./support";

export type Outputs = { [key: string]: Json };

export interface ResourceImpl {
  check(olds: Outputs, news: Outputs): Promise<pulumi.dynamic.CheckResult>;
  diff(id: string, olds: Outputs, news: Outputs): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: Outputs): Promise<{ id: string; outs: Outputs }>;
  read(id: string, props: Outputs | undefined): Promise<{ id?: string; props?: Outputs; inputs?: Outputs }>;
  update(id: string, olds: Outputs, news: Outputs): Promise<{ outs: Outputs }>;
  delete(id: string, props: Outputs): Promise<void>;
}

/** The resource name inside the identity `project/stack/kind/name` the resource classes pass. */
export function identityName(identity: unknown): string {
  if (typeof identity !== "string") return "resource";
  return identity.split("/").slice(3).join("/") || "resource";
}

/**
 * The generated name of a resource whose inputs name none: made once, then carried in the `__autoName` input, which
 * refresh never rewrites, so a rename made out of band shows as drift instead of becoming the new desired name.
 */
export function stableAutoName(
  olds: Outputs,
  news: Outputs,
  generate: (resourceName: string) => string,
): string {
  return typeof olds.__autoName === "string" ? olds.__autoName : generate(identityName(news.__identity));
}

/**
 * What `read` answers for a live object: its outputs, and among them the inputs the schema declares (nulls and
 * `notInputs` left out), so a refresh rewrites the stored inputs and drift shows in the next diff.
 */
export function readResult(
  id: string,
  schema: z.ZodObject,
  outs: Outputs,
  notInputs: readonly string[] = [],
) {
  const inputs = Object.fromEntries(
    Object.keys(schema.shape)
      .filter((key) => key in outs && outs[key] !== null && !notInputs.includes(key))
      .map((key) => [key, outs[key]]),
  );
  return { id, props: outs, inputs: plainObject(inputs) };
}
