// Serverless SQL databases and their backups: what a create, update or restore may ask (checked as the recorded API
// checks it), and the transitions they start (creating, restoring, deleting, exporting).
import { randomUUID } from "node:crypto";
import { type ArgumentProblem, InvalidArguments, isUuid, TransientState } from "../scaleway-wire";
import { ServerlessData } from "./database-data";
import type { DatabaseStatus, ManualBackup, SdbBackup, SdbDatabase } from "./records";
import { type Caller, type ServerlessStore, unresolved } from "./store";

export const DATABASE_ORDERS: Record<string, (a: SdbDatabase, b: SdbDatabase) => number> = {
  created_at_asc: (a, b) => a.createdAt - b.createdAt,
  created_at_desc: (a, b) => b.createdAt - a.createdAt,
  name_asc: (a, b) => a.name.localeCompare(b.name),
  name_desc: (a, b) => b.name.localeCompare(a.name),
};

/** Backups list newest first unless asked otherwise; equal times order by id. */
export const BACKUP_ORDERS: Record<string, (a: SdbBackup, b: SdbBackup) => number> = {
  created_at_desc: (a, b) => b.createdAt - a.createdAt || a.id.localeCompare(b.id),
  created_at_asc: (a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id),
};

/** The filters of the list routes; organization ids are project ids on this API. */
export interface ListFilters {
  projectId?: string;
  organizationId?: string;
  name?: string;
  databaseId?: string;
}

/** Reads an integer CPU bound; an absent one is 0, as protobuf decodes a missing uint32. */
function cpuArgument(
  body: Record<string, unknown>,
  name: "cpu_min" | "cpu_max",
  problems: ArgumentProblem[],
  fallback: number,
): number {
  const value = body[name] ?? fallback;
  const min = name === "cpu_min" ? 0 : 1;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > 15) {
    problems.push({
      argument_name: name,
      reason: "constraint",
      help_message: `must be an integer between ${min} and 15`,
    });
    return fallback;
  }
  return value;
}

/** Both CPU bounds, the lower one not above the upper one. */
function cpuRange(
  body: Record<string, unknown>,
  problems: ArgumentProblem[],
  fallback: { cpuMin: number; cpuMax: number },
): { cpuMin: number; cpuMax: number } {
  const cpuMin = cpuArgument(body, "cpu_min", problems, fallback.cpuMin);
  const cpuMax = cpuArgument(body, "cpu_max", problems, fallback.cpuMax);
  if (problems.length === 0 && cpuMin > cpuMax) {
    problems.push({
      argument_name: "cpu_min",
      reason: "constraint",
      help_message: "must be lower than or equal to cpu_max",
    });
  }
  return { cpuMin, cpuMax };
}

export class ServerlessModel {
  readonly data: ServerlessData;

  constructor(private readonly store: ServerlessStore) {
    this.data = new ServerlessData(store.ctx.dataPlane, store.ctx.files);
  }

  private manualOf(backup: SdbBackup): ManualBackup | undefined {
    return this.store.state.manualBackups.find((manual) => manual.id === backup.id);
  }

  private requireReady(database: SdbDatabase): void {
    const status = this.store.statusOf(database);
    if (status !== "ready") throw new TransientState("database", database.id, status);
  }

  /** Creates a database whose login takes `secretKey`, the creator's (see ServerlessData.create). */
  async createDatabase(
    caller: Caller,
    region: string,
    body: Record<string, unknown>,
    secretKey: string,
  ): Promise<SdbDatabase> {
    const problems: ArgumentProblem[] = [];
    const projectId = body.project_id ?? caller.projectId;
    if (!isUuid(projectId)) {
      problems.push({ argument_name: "project_id", reason: "format", help_message: "must be a UUID" });
    }
    const name = body.name;
    if (typeof name !== "string" || name.length < 1 || name.length > 63) {
      problems.push({
        argument_name: "name",
        reason: "constraint",
        help_message: "must be between 1 and 63 characters",
      });
    }
    const { cpuMin, cpuMax } = cpuRange(body, problems, { cpuMin: 0, cpuMax: 0 });
    const fromBackupId = body.from_backup_id;
    if (fromBackupId !== undefined && fromBackupId !== null && typeof fromBackupId !== "string") {
      problems.push({ argument_name: "from_backup_id", reason: "format", help_message: "must be a UUID" });
    }
    if (problems.length > 0) throw new InvalidArguments(problems);
    if (caller.projectId !== undefined && caller.projectId !== projectId) throw unresolved();
    const source = typeof fromBackupId === "string" ? this.store.backup(caller, fromBackupId) : undefined;
    const database: SdbDatabase = {
      id: randomUUID(),
      name: name as string,
      projectId: projectId as string,
      region,
      createdAt: this.store.ctx.now(),
      cpuMin,
      cpuMax,
      deleteRequestedAt: null,
      restoringUntil: null,
    };
    this.store.state.databases.push(database);
    this.store.ctx.markDirty();
    await this.data.create(database, secretKey);
    if (source) await this.data.restore(database, await this.data.archiveOf(source, this.manualOf(source)));
    return database;
  }

  listDatabases(caller: Caller, filters: ListFilters, order: (a: SdbDatabase, b: SdbDatabase) => number) {
    const { projectId, organizationId, name } = filters;
    return this.store.state.databases
      .filter((db) => this.store.visible(caller, db))
      .filter((db) => projectId === undefined || db.projectId === projectId)
      .filter((db) => organizationId === undefined || db.projectId === organizationId)
      .filter((db) => name === undefined || db.name.includes(name))
      .sort(order);
  }

  updateDatabase(database: SdbDatabase, body: Record<string, unknown>): void {
    this.requireReady(database);
    const problems: ArgumentProblem[] = [];
    const { cpuMin, cpuMax } = cpuRange(body, problems, database);
    if (problems.length > 0) throw new InvalidArguments(problems);
    database.cpuMin = cpuMin;
    database.cpuMax = cpuMax;
    this.store.ctx.markDirty();
  }

  /** Starts the deletion; answers the status the database had just before, which the recorded DELETE shows. */
  async deleteDatabase(database: SdbDatabase): Promise<DatabaseStatus> {
    const status = this.store.statusOf(database);
    if (status === "deleting") throw new TransientState("database", database.id, status);
    database.deleteRequestedAt = this.store.ctx.now();
    this.store.ctx.markDirty();
    await this.data.drop(database);
    return status;
  }

  async restoreDatabase(database: SdbDatabase, backupId: unknown): Promise<void> {
    if (!isUuid(backupId)) {
      throw new InvalidArguments([
        { argument_name: "backup_id", reason: "required", help_message: "must be a UUID" },
      ]);
    }
    const backup = this.store.backupsOf(database).find((candidate) => candidate.id === backupId);
    if (!backup) throw unresolved();
    this.requireReady(database);
    await this.data.restore(database, await this.data.archiveOf(backup, this.manualOf(backup)));
    database.restoringUntil = this.store.ctx.now() + this.store.timings().restore;
    this.store.ctx.markDirty();
  }

  listBackups(caller: Caller, filters: ListFilters, order: (a: SdbBackup, b: SdbBackup) => number) {
    const { databaseId, projectId, organizationId } = filters;
    return this.store
      .visibleBackups(caller)
      .filter((backup) => databaseId === undefined || backup.database.id === databaseId)
      .filter((backup) => projectId === undefined || backup.database.projectId === projectId)
      .filter((backup) => organizationId === undefined || backup.database.projectId === organizationId)
      .sort(order);
  }

  /** Starts an export; a new one replaces any earlier export of the same backup. */
  async exportBackup(backup: SdbBackup): Promise<void> {
    const dumpFile = await this.data.archiveOf(backup, this.manualOf(backup));
    const state = this.store.state;
    state.exports = state.exports.filter((exported) => exported.backupId !== backup.id);
    state.exports.push({
      backupId: backup.id,
      requestedAt: this.store.ctx.now(),
      url: null,
      urlExpiresAt: null,
      ...(dumpFile === undefined ? {} : { dumpFile }),
    });
    this.store.ctx.markDirty();
  }

  /** Takes a backup now (test control); undefined when the database is unknown or gone. */
  async takeBackupNow(databaseId: unknown): Promise<SdbBackup | undefined> {
    const database = this.store.state.databases.find((candidate) => candidate.id === databaseId);
    if (typeof databaseId !== "string" || !database || this.store.isGone(database)) return undefined;
    const id = randomUUID();
    const dumpFile = await this.data.dumpNow(database, `serverless-backup-${id}.custom`);
    const backup: ManualBackup = {
      id,
      databaseId,
      createdAt: this.store.ctx.now(),
      ...(dumpFile === undefined ? {} : { dumpFile }),
    };
    this.store.state.manualBackups.push(backup);
    this.store.ctx.markDirty();
    return this.store.manualBackup(backup, database);
  }
}
