// Serverless export: find the newest automatic backup of a Serverless SQL database and keep it exported.
// Against the emulator: run `node ../../bin/pulumi-dbaas.js emulator --port 0 --profile instant` and export the
// SCW_* variables it prints; create a database, then take a backup now (the real service takes one a day):
//   curl -s -X POST -H "X-Auth-Token: $SCW_SECRET_KEY" -H 'content-type: application/json' \
//     -d "{\"project_id\":\"$SCW_DEFAULT_PROJECT_ID\",\"name\":\"demo\",\"cpu_min\":0,\"cpu_max\":1}" \
//     "$SCW_API_URL/serverless-sqldb/v1alpha1/regions/fr-par/databases"      # note the "id" it returns
//   curl -s -X POST -H 'content-type: application/json' -d '{"database_id":"<id>"}' \
//     "$SCW_API_URL/_emulator/serverless/backups"
// Put `config: {dbaas-serverless-export:databaseId: <id>}` in Pulumi.dev.yaml, then run
// `node ../../bin/pulumi-dbaas.js engine up`; a later `up` renews the download URL once it has expired. A newer daily
// backup replaces the export on the next `up`; set `backupId` ({region}/{uuid}) instead to keep one backup exported.
import * as pulumi from "@pulumi/pulumi";
import { serverless } from "pulumi-dbaas";

const config = new pulumi.Config();
const pinnedBackupId = config.get("backupId");

const backupId =
  pinnedBackupId ??
  pulumi
    .output(serverless.getLatestBackup({ databaseId: config.require("databaseId") }))
    .apply((latest) => `${latest.region}/${latest.id}`);

const backupExport = new serverless.BackupExport("latest", { backupId });

export const exportedBackupId = backupExport.backupId;
export const backupTakenAt = backupExport.createdAt;
export const downloadUrl = backupExport.downloadUrl;
export const downloadUrlExpiresAt = backupExport.downloadUrlExpiresAt;
