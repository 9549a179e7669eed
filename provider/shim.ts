// The provider object handed to `pulumi.dynamic.Resource`: a few lines per method that require the real implementation
// by package name at call time, so state stores a small, credential-free shim that keeps working across package upgrades.
import type * as pulumi from "@pulumi/pulumi";

/** Resource kinds served by `pulumi-dbaas/provider-impl`; also the suffix of each resource's Pulumi type token. */
export type ResourceKind =
  | "scaleway:DatabaseInstance"
  | "scaleway:DatabaseBackup"
  | "scaleway:BackupSchedule"
  | "scaleway:BackupRestore"
  | "scaleway:Acl"
  | "scaleway:ReadReplica"
  | "scaleway:Snapshot"
  | "scaleway:Database"
  | "scaleway:User"
  | "scaleway:Privilege"
  | "scalingo:DatabaseBackup"
  | "scalingo:BackupSchedule"
  | "serverless:BackupExport";

/**
 * One provider object per kind for the whole program: Pulumi caches a provider's serialized text by object identity,
 * so a new object per resource re-ran the closure serializer for each one (~20 ms of the program's CPU per resource).
 */
const providers = new Map<ResourceKind, pulumi.dynamic.ResourceProvider>();

export function dynamicProvider(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  let provider = providers.get(kind);
  if (!provider) {
    provider = shimFor(kind);
    providers.set(kind, provider);
  }
  return provider;
}

// Every method below is serialized as text into state: `require` must stay inline (the closure serializer leaves it
// alone) and the only captured value is `kind`, a string.
function shimFor(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  return {
    configure: async (req) => require("pulumi-dbaas/provider-impl").configure(req.config),
    check: async (olds, news) => require("pulumi-dbaas/provider-impl").providerFor(kind).check(olds, news),
    diff: async (id, olds, news) =>
      require("pulumi-dbaas/provider-impl").providerFor(kind).diff(id, olds, news),
    create: async (inputs) => require("pulumi-dbaas/provider-impl").providerFor(kind).create(inputs),
    read: async (id, props) => require("pulumi-dbaas/provider-impl").providerFor(kind).read(id, props),
    update: async (id, olds, news) =>
      require("pulumi-dbaas/provider-impl").providerFor(kind).update(id, olds, news),
    delete: async (id, props) => require("pulumi-dbaas/provider-impl").providerFor(kind).delete(id, props),
  };
}

/** The Pulumi module under which every resource of this package is registered (`pulumi-nodejs:dynamic/dbaas:…`). */
export const TYPE_MODULE = "dbaas";
