// What every resource class of the package does on the program side: register through the shim under a stable type
// token, pass the identity used for the ownership tag, and mark secret outputs.
import * as pulumi from "@pulumi/pulumi";
import { dynamicProvider, type ResourceKind, TYPE_MODULE } from "./shim";

/**
 * The project, stack and resource name: a dynamic provider's `create` never sees the URN, so the resource passes
 * them as an input from which the provider derives the tag that lets an interrupted create be adopted on re-run.
 */
export function resourceIdentity(kind: ResourceKind, name: string): string {
  return `${pulumi.getProject()}/${pulumi.getStack()}/${kind}/${name}`;
}

/** Registers a dynamic resource of `kind`; `outputs` lists the output-only properties so they appear on the object. */
export function dynamicResourceArgs(
  kind: ResourceKind,
  name: string,
  inputs: object,
  outputs: readonly string[],
  secretOutputs: readonly string[],
  opts: pulumi.CustomResourceOptions | undefined,
): [pulumi.dynamic.ResourceProvider, string, pulumi.Inputs, pulumi.CustomResourceOptions, string, string] {
  const [platform, type] = kind.split(":");
  const props: pulumi.Inputs = { ...Object.fromEntries(outputs.map((key) => [key, undefined])), ...inputs };
  props.__identity = resourceIdentity(kind, name);
  const options: pulumi.CustomResourceOptions = {
    ...opts,
    additionalSecretOutputs: [...new Set([...(opts?.additionalSecretOutputs ?? []), ...secretOutputs])],
  };
  return [dynamicProvider(kind), name, props, options, `${TYPE_MODULE}/${platform}`, type];
}
