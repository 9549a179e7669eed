// The Serverless SQL module's state (databases, backups taken on demand, exports) and the lookups every route shares:
// auth and region checks, project isolation, lazily derived backups and the publication of finished exports.
import type { EmulatorRequest, ModuleContext } from "../framework";
import { isRecord } from "../framework";
import { checkRegion, PermissionsDenied } from "../scaleway-wire";
import {
  BACKUP_RETENTION_MS,
  type BackupExport,
  backupJson,
  dailyBackups,
  databaseStatus,
  EXPORT_URL_TTL_MS,
  exportContent,
  isGone,
  type ManualBackup,
  REGIONS,
  type SdbBackup,
  type SdbDatabase,
  TIMINGS,
} from "./records";

export interface ServerlessState {
  databases: SdbDatabase[];
  manualBackups: ManualBackup[];
  exports: BackupExport[];
}

export interface Caller {
  /** The project a token is bound to; undefined when it may act on any project. */
  projectId: string | undefined;
}

function isState(value: unknown): value is ServerlessState {
  return (
    isRecord(value) &&
    Array.isArray(value.databases) &&
    Array.isArray(value.manualBackups) &&
    Array.isArray(value.exports)
  );
}

/**
 * The Serverless SQL API answers 403 for any resource it cannot resolve — unknown, in another project, or deleted
 * (the recording shows it for a deleted database; Terraform's destroy check expects 403, not 404).
 */
export function unresolved(): PermissionsDenied {
  return new PermissionsDenied([]);
}

export class ServerlessStore {
  state: ServerlessState = { databases: [], manualBackups: [], exports: [] };

  constructor(readonly ctx: ModuleContext) {}

  /** Authenticates a request and checks its region. */
  caller(req: EmulatorRequest): Caller {
    const { projectId } = this.ctx.scalewayAuth(req);
    checkRegion(req.params.region, REGIONS);
    return { projectId };
  }

  isGone(database: SdbDatabase): boolean {
    return isGone(database, this.ctx.profile, this.ctx.now());
  }

  visible(caller: Caller, database: SdbDatabase): boolean {
    return (
      !this.isGone(database) && (caller.projectId === undefined || caller.projectId === database.projectId)
    );
  }

  statusOf(database: SdbDatabase) {
    return databaseStatus(database, this.ctx.profile, this.ctx.now());
  }

  database(caller: Caller, id: string): SdbDatabase {
    const database = this.state.databases.find((candidate) => candidate.id === id);
    if (!database || !this.visible(caller, database)) throw unresolved();
    return database;
  }

  /** A backup taken on demand, with the retention automatic ones have. */
  manualBackup(backup: ManualBackup, database: SdbDatabase): SdbBackup {
    return { ...backup, database, expiresAt: backup.createdAt + BACKUP_RETENTION_MS };
  }

  backupsOf(database: SdbDatabase): SdbBackup[] {
    const now = this.ctx.now();
    const manual = this.state.manualBackups
      .filter((backup) => backup.databaseId === database.id)
      .map((backup) => this.manualBackup(backup, database));
    return [...dailyBackups(database, now), ...manual].filter(
      (backup) => backup.createdAt <= now && now < backup.expiresAt,
    );
  }

  visibleBackups(caller: Caller): SdbBackup[] {
    return this.state.databases
      .filter((database) => this.visible(caller, database))
      .flatMap((database) => this.backupsOf(database));
  }

  backup(caller: Caller, id: string): SdbBackup {
    const backup = this.visibleBackups(caller).find((candidate) => candidate.id === id);
    if (!backup) throw unresolved();
    return backup;
  }

  /** The backup as the API shows it, with its export's download URL once the export is over. */
  renderBackup(backup: SdbBackup): Record<string, unknown> {
    return backupJson(backup, this.onCurrentBaseUrl(this.exportOf(backup)));
  }

  /** The export of a backup, publishing its file once the export has had time to finish. */
  private exportOf(backup: SdbBackup): BackupExport | undefined {
    const exported = this.state.exports.find((candidate) => candidate.backupId === backup.id);
    if (exported && exported.url === null && this.ctx.now() >= exported.requestedAt + this.timings().export) {
      const dump = exported.dumpFile === undefined ? undefined : this.ctx.files.get(exported.dumpFile);
      const fileName = `${backup.database.name}-${backup.id}.${dump ? "custom" : "sql"}`;
      const download = this.ctx.publishDownload(
        dump ?? exportContent(backup),
        fileName,
        this.ctx.downloadUrlTtlMs(EXPORT_URL_TTL_MS),
      );
      exported.url = download.url;
      exported.urlExpiresAt = download.expiresAt.getTime();
      this.ctx.markDirty();
    }
    return exported;
  }

  /** Stored download URLs follow the emulator when it restarts on another port (the file itself is persisted). */
  private onCurrentBaseUrl(exported: BackupExport | undefined): BackupExport | undefined {
    if (!exported?.url) return exported;
    const stored = new URL(exported.url);
    return { ...exported, url: `${this.ctx.baseUrl()}${stored.pathname}${stored.search}` };
  }

  /** How long each transition takes under the emulator's profile. */
  timings() {
    return TIMINGS[this.ctx.profile];
  }

  reset(): void {
    this.state = { databases: [], manualBackups: [], exports: [] };
  }

  importState(imported: unknown): void {
    if (isState(imported)) this.state = imported;
  }
}
