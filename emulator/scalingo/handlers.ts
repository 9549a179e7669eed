// Handlers of the Scalingo routes (auth API, main API, database API, test control): read the request, call the
// model, render the answer in the shape each API uses.
import { type EmulatorOptions, type EmulatorRequest, type EmulatorResponse, isRecord } from "../framework";
import type { AddonData } from "./addon-data";
import { NotFound } from "./errors";
import { API_PREFIX, DB_API_PREFIX, REGION_NAME } from "./hosts";
import { ScalingoModel } from "./model";
import { addonJson, backupJson, databaseJson, type ScalingoDatabase } from "./records";
import type { ScalingoStore } from "./store";
import { basicAuthPassword } from "./tokens";

type Handler = (req: EmulatorRequest) => EmulatorResponse | Promise<EmulatorResponse>;

function json(status: number, body: unknown): EmulatorResponse {
  return { status, body };
}

/** The variables the addons of an app give it; a real PostgreSQL addon gives `SCALINGO_POSTGRESQL_URL`. */
function appVariables(data: AddonData, databases: ScalingoDatabase[]): Array<Record<string, string>> {
  return databases.flatMap((database) => {
    const url = data.connectionUrl(database);
    return url ? [{ id: `${database.addonId}-url`, name: "SCALINGO_POSTGRESQL_URL", value: url }] : [];
  });
}

export function scalingoHandlers(store: ScalingoStore, options: EmulatorOptions) {
  const acceptsApiToken = (token: string): boolean =>
    options.scalingoTokens && options.scalingoTokens.length > 0
      ? options.scalingoTokens.includes(token)
      : token.startsWith("tk-us-");
  const model = new ScalingoModel(store, acceptsApiToken);
  return {
    exchangeToken: (req) => json(200, { token: model.exchangeToken(basicAuthPassword(req.headers)) }),
    listRegions: () =>
      json(200, {
        regions: [
          {
            name: REGION_NAME,
            display_name: "Paris - Outscale",
            ssh: "ssh.osc-fr1.scalingo.com:22",
            api: `${store.ctx.baseUrl()}${API_PREFIX}`,
            database_api: `${store.ctx.baseUrl()}${DB_API_PREFIX}`,
            dashboard: "https://dashboard.scalingo.com",
            default: true,
          },
        ],
      }),
    listAddons: (req) => {
      store.mainApiCaller(req);
      const databases = store.state.databases.filter((db) => db.app === req.params.app);
      if (databases.length === 0) throw new NotFound("app");
      return json(200, { addons: databases.map(addonJson) });
    },
    listVariables: (req) => {
      store.mainApiCaller(req);
      const databases = store.state.databases.filter((db) => db.app === req.params.app);
      if (databases.length === 0) throw new NotFound("app");
      return json(200, { variables: appVariables(model.data, databases) });
    },
    showAddon: (req) => json(200, { addon: addonJson(store.pathAddon(req).database) }),
    mintAddonToken: (req) => {
      const { caller, database } = store.pathAddon(req);
      return json(200, { addon: { ...addonJson(database), token: model.mintAddonToken(caller, database) } });
    },
    showDatabase: (req) => json(200, { database: databaseJson(store.pathDatabase(req)) }),
    updateDatabase: (req) => {
      const database = store.pathDatabase(req);
      model.updateDatabase(database, req.body);
      return json(200, { database: databaseJson(database) });
    },
    listBackups: (req) => {
      const database = store.pathDatabase(req);
      const backups = model.backupsOf(database).map((backup) => store.renderBackup(backup, database));
      return json(200, { database_backups: backups });
    },
    createBackup: async (req) => {
      const database = store.pathDatabase(req);
      const backup = await model.createBackup(database);
      const scheduled = { status: "scheduled" as const, startedAt: null, size: null };
      return json(201, { database_backup: backupJson(backup, database, scheduled) });
    },
    showBackup: (req) => {
      const database = store.pathDatabase(req);
      return json(200, {
        database_backup: store.renderBackup(store.backup(database, req.params.backupId), database),
      });
    },
    showBackupById: (req) => {
      const caller = store.databaseCaller(req);
      const database = store.findDatabase(caller.addonId);
      const backup = database ? store.findBackup(database, req.params.backupId) : undefined;
      if (!database || !backup) throw new NotFound("backup");
      return json(200, { database_backup: store.renderBackup(backup, database) });
    },
    backupArchive: (req) => {
      const database = store.pathDatabase(req);
      const backup = store.backup(database, req.params.backupId);
      return json(200, { download_url: model.archiveUrl(database, backup) });
    },
    createDatabase: async (req) => {
      const database = await model.createDatabase(isRecord(req.body) ? req.body : {});
      return json(201, { addon: addonJson(database), database: databaseJson(database) });
    },
  } satisfies Record<string, Handler>;
}
