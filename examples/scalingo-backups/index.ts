// Scalingo backups: the periodic backup schedule of a database addon, and one manual backup with a download link.
//
// Against the emulator (from this folder):
//   node ../../bin/pulumi-dbaas.js emulator --port 0   # in another shell: prints its URL and SCALINGO_* exports
//   export …the printed lines…; URL=…the printed URL…
//   curl -X POST "$URL/_emulator/scalingo/databases" -H 'content-type: application/json' \
//     -d '{"app": "my-app", "addon_id": "ad-my-app-postgresql", "type": "postgresql"}'
//   node ../../bin/pulumi-dbaas.js engine up
// The database addon must exist first: the emulator, like Scalingo, only backs up databases, it does not create them
// through its API. Against Scalingo, set `dbaas:scalingoApiToken` (secret) or SCALINGO_API_TOKEN and the stack config
// `app` and `addonId` (`scalingo addons --app my-app` lists addon ids).
import * as pulumi from "@pulumi/pulumi";
import { scalingo } from "pulumi-dbaas";

const config = new pulumi.Config();
const app = config.get("app") ?? "my-app";
const addonId = config.get("addonId") ?? "ad-my-app-postgresql";

const schedule = new scalingo.BackupSchedule("nightly", { app, addonId, enabled: true, hour: 3 });

const backup = new scalingo.DatabaseBackup("before-migration", { app, addonId, exported: true });

export const scheduledHours = schedule.scheduledHours;
export const backupName = backup.name;
export const backupSize = backup.size;
export const downloadUrl = backup.downloadUrl;
