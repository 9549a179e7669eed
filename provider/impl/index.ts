// The provider implementation the serialized shims require at call time (`pulumi-dbaas/provider-impl`).
import type { ResourceKind } from "../shim";
import type { ResourceImpl } from "./resource-impl";
import { acl } from "./scaleway/acl";
import { databaseBackup } from "./scaleway/backup";
import { database } from "./scaleway/database";
import { databaseInstance } from "./scaleway/instance";
import { privilege } from "./scaleway/privilege";
import { readReplica } from "./scaleway/read-replica";
import { backupRestore } from "./scaleway/restore";
import { backupSchedule } from "./scaleway/schedule";
import { snapshot } from "./scaleway/snapshot";
import { user } from "./scaleway/user";
import { databaseBackup as scalingoDatabaseBackup } from "./scalingo/backup";
import { backupSchedule as scalingoBackupSchedule } from "./scalingo/schedule";
import { backupExport } from "./serverless/backup-export";

export { configure } from "./config";

const IMPLEMENTATIONS: Partial<Record<ResourceKind, ResourceImpl>> = {
  "scaleway:DatabaseInstance": databaseInstance,
  "scaleway:DatabaseBackup": databaseBackup,
  "scaleway:BackupSchedule": backupSchedule,
  "scaleway:BackupRestore": backupRestore,
  "scaleway:Acl": acl,
  "scaleway:ReadReplica": readReplica,
  "scaleway:Snapshot": snapshot,
  "scaleway:Database": database,
  "scaleway:User": user,
  "scaleway:Privilege": privilege,
  "scalingo:DatabaseBackup": scalingoDatabaseBackup,
  "scalingo:BackupSchedule": scalingoBackupSchedule,
  "serverless:BackupExport": backupExport,
};

export function providerFor(kind: ResourceKind): ResourceImpl {
  const impl = IMPLEMENTATIONS[kind];
  if (!impl) {
    throw new Error(
      `pulumi-dbaas: no provider for "${kind}"; the installed package may be older than the program's state`,
    );
  }
  return impl;
}
