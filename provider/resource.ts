// What every resource class of the package does on the program side: register through the shim under a stable type
// token, pass the identity used for the ownership tag, mark secret inputs and outputs.
import * as pulumi from "@pulumi/pulumi";
import { dynamicProvider, type ResourceKind, TYPE_MODULE } from "./shim";

/**
 * The project, stack and resource name: a dynamic provider's `create` never sees the URN, so the resource passes
 * them as an input from which the provider derives the tag that lets an interrupted create be adopted on re-run.
 */
export function resourceIdentity(kind: ResourceKind, name: string): string {
  return `${pulumi.getProject()}/${pulumi.getStack()}/${kind}/${name}`;
}

export interface ResourceShape {
  /** The output-only properties, declared so that they appear on the resource object. */
  outputs: readonly string[];
  /** Outputs the engine must store as secrets. */
  secretOutputs?: readonly string[];
  /**
   * Inputs wrapped in `pulumi.secret`, as generated SDKs do: the engine keeps a stored input secret only when the
   * program's value was, and `additionalSecretOutputs` covers outputs alone.
   */
  secretInputs?: readonly string[];
  /** The resource publishes a download URL that expires: pass `__appliedAt` (see `appliedAt`). */
  renewsDownloadUrl?: boolean;
}

/**
 * The time of a real `up` (`pulumi.runtime.isDryRun()` false), undefined in previews. A provider's `diff` sees no
 * clock of its own that tells a deployment from a refresh, so the program passes this as the hidden input
 * `__appliedAt`: a download URL counts as a change only when it expires by then (plus a margin). Previews carry
 * none and never show a renewal; a refresh diffs the live object against the inputs of the last `up`, whose URL
 * was valid beyond that `up`, so an expired URL never reads as drift; the next `up` renews it.
 */
export function appliedAt(): string | undefined {
  return pulumi.runtime.isDryRun() ? undefined : new Date().toISOString();
}

/** Registers a dynamic resource of `kind` with the program's `inputs`, shaped as `shape` says. */
export function dynamicResourceArgs(
  kind: ResourceKind,
  name: string,
  inputs: object,
  shape: ResourceShape,
  opts: pulumi.CustomResourceOptions | undefined,
): [pulumi.dynamic.ResourceProvider, string, pulumi.Inputs, pulumi.CustomResourceOptions, string, string] {
  const [platform, type] = kind.split(":");
  const props: pulumi.Inputs = {
    ...Object.fromEntries(shape.outputs.map((key) => [key, undefined])),
    ...inputs,
  };
  for (const key of shape.secretInputs ?? []) {
    if (props[key] !== undefined) props[key] = pulumi.secret(props[key]);
  }
  props.__identity = resourceIdentity(kind, name);
  if (shape.renewsDownloadUrl) props.__appliedAt = appliedAt();
  const options: pulumi.CustomResourceOptions = {
    ...opts,
    additionalSecretOutputs: [
      ...new Set([...(opts?.additionalSecretOutputs ?? []), ...(shape.secretOutputs ?? [])]),
    ],
  };
  return [dynamicProvider(kind), name, props, options, `${TYPE_MODULE}/${platform}`, type];
}
