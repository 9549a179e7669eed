// Quickstart: a managed PostgreSQL instance, its automatic backup policy and an exported logical backup.
import { scaleway } from "pulumi-dbaas";

const database = new scaleway.DatabaseInstance("quickstart", {
  engine: "PostgreSQL-16",
  nodeType: "DB-DEV-S",
  tags: ["quickstart"],
  settings: { max_connections: "200" },
});

new scaleway.BackupSchedule("quickstart-schedule", {
  instanceId: database.id,
  frequencyHours: 12,
  retentionDays: 14,
});

const backup = new scaleway.DatabaseBackup("quickstart-backup", {
  instanceId: database.id,
  expiresAt: "2030-01-01T00:00:00Z",
  exported: true,
});

export const endpoint = database.endpoint;
export const connectionString = database.connectionString;
export const backupUrl = backup.downloadUrl;
