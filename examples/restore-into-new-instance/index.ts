// Restore: back up the `rdb` database of a source instance and restore it into a fresh target instance.
// Bump `restoreGeneration` in the stack config to restore the backup again.
import * as pulumi from "@pulumi/pulumi";
import { scaleway } from "pulumi-dbaas";

const config = new pulumi.Config();

const source = new scaleway.DatabaseInstance("source", { engine: "PostgreSQL-16", nodeType: "db-dev-s" });
const target = new scaleway.DatabaseInstance("target", { engine: "PostgreSQL-16", nodeType: "db-dev-s" });

const backup = new scaleway.DatabaseBackup("nightly", { instanceId: source.id, databaseName: "rdb" });

const restore = new scaleway.BackupRestore("into-target", {
  backupId: backup.id,
  instanceId: target.id,
  databaseName: "rdb",
  triggers: { generation: config.get("restoreGeneration") ?? "1" },
});

export const targetEndpoint = target.endpoint;
export const restoredAt = restore.restoredAt;
