// What lives inside an RDB instance: settings, logical databases (in the data plane), users and logs. Every change
// needs a ready instance; a settings change puts it in `configuring` as the real service does.
import { randomInt, randomUUID } from "node:crypto";
import { AlreadyExists, InvalidArguments, NotFound, orderNamed } from "../scaleway-wire";
import { findEngineVersion } from "./catalogue";
import { forgetPrivileges } from "./privilege-model";
import type { InstanceLogRecord, InstanceRecord, Setting } from "./records";
import type { RdbStore } from "./store";
import { DOWNLOAD_LINK_TTL_MS } from "./timings";
import { checkDatabaseName, checkPassword, checkSettings, checkUserName, Problems } from "./validation";

const DAY = 86_400_000;

interface DatabaseView {
  managed: boolean;
  name: string;
  owner: string;
  size: number;
}

const DATABASE_ORDERS: Record<string, (a: DatabaseView, b: DatabaseView) => number> = {
  name_asc: (a, b) => a.name.localeCompare(b.name),
  name_desc: (a, b) => b.name.localeCompare(a.name),
  size_asc: (a, b) => a.size - b.size,
  size_desc: (a, b) => b.size - a.size,
};

/** How a settings write combines the instance's settings with the ones it brings. */
export type SettingsMerge = (current: Setting[], incoming: Setting[]) => Setting[];

export const replaceSettings: SettingsMerge = (_current, incoming) => incoming;

export const addSettings: SettingsMerge = (current, incoming) => [
  ...current.filter((setting) => !incoming.some((added) => added.name === setting.name)),
  ...incoming,
];

/** The instance's settings as its server reads them: each value with the unit the catalogue gives it. */
function serverSettings(instance: InstanceRecord): Setting[] {
  const specs = findEngineVersion(instance.engine)?.version.available_settings ?? [];
  return instance.settings.map((setting) => {
    const unit = specs.find((spec) => spec.name === setting.name)?.unit;
    return { name: setting.name, value: unit ? `${setting.value}${unit}` : setting.value };
  });
}

export class InstanceParts {
  constructor(private readonly store: RdbStore) {}

  private startConfiguring(instance: InstanceRecord): void {
    instance.busy = {
      status: "configuring",
      until: this.store.now() + this.store.duration("instanceConfigure"),
    };
    this.store.changed();
    if (this.store.data.runsServers) {
      this.store.holdUntilDone(instance, this.store.data.configure(instance.id, serverSettings(instance)));
    }
  }

  /** Checks a settings write against the engine's catalogue and applies it. */
  writeSettings(instance: InstanceRecord, body: Record<string, unknown>, merge: SettingsMerge): Setting[] {
    const problems = new Problems();
    const available = findEngineVersion(instance.engine)?.version.available_settings ?? [];
    if (!Array.isArray(body.settings)) problems.add("settings", "required", "settings is required");
    const incoming = checkSettings(problems, "settings", body.settings, available);
    if (!problems.empty || !incoming) throw new InvalidArguments(problems.list);
    this.store.requireReady(instance);
    instance.settings = merge(instance.settings, incoming);
    this.startConfiguring(instance);
    return instance.settings;
  }

  deleteSettings(instance: InstanceRecord, body: Record<string, unknown>): Setting[] {
    const problems = new Problems();
    const names = problems.optionalStringList(body, "setting_names");
    if (!names || names.length === 0) problems.add("setting_names", "required", "setting_names is required");
    for (const name of names ?? []) {
      if (!instance.settings.some((setting) => setting.name === name)) {
        problems.add("setting_names", "constraint", `setting ${name} is not set on the instance`);
      }
    }
    if (!problems.empty) throw new InvalidArguments(problems.list);
    this.store.requireReady(instance);
    instance.settings = instance.settings.filter((setting) => !names?.includes(setting.name));
    this.startConfiguring(instance);
    return instance.settings;
  }

  async listDatabases(
    instance: InstanceRecord,
    name: string | null,
    orderBy: string,
  ): Promise<DatabaseView[]> {
    const databases = (await this.store.data.listDatabases(instance.id))
      .filter((database) => !name || database.name === name)
      .map((database) => ({
        managed: true,
        name: database.name,
        owner: "_rdb_superadmin",
        size: database.sizeBytes,
      }));
    const order = orderNamed(DATABASE_ORDERS, orderBy, "must be name_asc, name_desc, size_asc or size_desc");
    return databases.sort(order);
  }

  async createDatabase(instance: InstanceRecord, body: Record<string, unknown>): Promise<DatabaseView> {
    const problems = new Problems();
    const name = problems.optionalString(body, "name") ?? "";
    if (name === "") problems.add("name", "required", "name is required");
    else checkDatabaseName(problems, "name", name);
    if (!problems.empty) throw new InvalidArguments(problems.list);
    this.store.requireReady(instance);
    if (await this.store.data.hasDatabase(instance.id, name)) throw new AlreadyExists("database", name);
    await this.store.data.createDatabase(instance.id, name);
    this.store.changed();
    return { managed: true, name, owner: "", size: 0 };
  }

  /** Refuses a database the instance does not have. */
  async requireDatabase(instance: InstanceRecord, name: string): Promise<void> {
    if (!(await this.store.data.hasDatabase(instance.id, name))) throw new NotFound("database", name);
  }

  async deleteDatabase(instance: InstanceRecord, name: string): Promise<void> {
    await this.requireDatabase(instance, name);
    this.store.requireReady(instance);
    await this.store.data.dropDatabase(instance.id, name);
    forgetPrivileges(instance, { databaseName: name });
    this.store.changed();
  }

  async createUser(
    instance: InstanceRecord,
    body: Record<string, unknown>,
  ): Promise<{ is_admin: boolean; name: string }> {
    const problems = new Problems();
    const name = problems.optionalString(body, "name") ?? "";
    const password = problems.optionalString(body, "password") ?? "";
    const isAdmin = problems.optionalBoolean(body, "is_admin") ?? false;
    if (name === "") problems.add("name", "required", "name is required");
    else checkUserName(problems, "name", name);
    if (password === "") problems.add("password", "required", "password is required");
    else checkPassword(problems, "password", password);
    if (!problems.empty) throw new InvalidArguments(problems.list);
    this.store.requireReady(instance);
    if (instance.users.some((user) => user.name === name)) throw new AlreadyExists("user", name);
    await this.store.data.createUser(instance.id, { name, password }, isAdmin);
    instance.users.push({ name, is_admin: isAdmin });
    this.store.changed();
    return { is_admin: isAdmin, name };
  }

  private user(instance: InstanceRecord, name: string): InstanceRecord["users"][number] {
    const user = instance.users.find((candidate) => candidate.name === name);
    if (!user) throw new NotFound("user", name);
    return user;
  }

  async updateUser(instance: InstanceRecord, name: string, body: Record<string, unknown>) {
    const user = this.user(instance, name);
    const problems = new Problems();
    const password = problems.optionalString(body, "password");
    const isAdmin = problems.optionalBoolean(body, "is_admin");
    if (password !== undefined) checkPassword(problems, "password", password);
    if (!problems.empty) throw new InvalidArguments(problems.list);
    this.store.requireReady(instance);
    await this.store.data.updateUser(instance.id, name, { password, isAdmin });
    if (isAdmin !== undefined) user.is_admin = isAdmin;
    this.store.changed();
    return { is_admin: user.is_admin, name: user.name };
  }

  async deleteUser(instance: InstanceRecord, name: string): Promise<void> {
    this.user(instance, name);
    this.store.requireReady(instance);
    await this.store.data.dropUser(instance.id, name);
    instance.users = instance.users.filter((user) => user.name !== name);
    forgetPrivileges(instance, { userName: name });
    this.store.changed();
  }

  /** Publishes a log file of the instance, ready (listed with its URL) once the preparation is over. */
  prepareLogs(instance: InstanceRecord, body: Record<string, unknown>): InstanceLogRecord {
    const now = this.store.now();
    const problems = new Problems();
    for (const key of ["start_date", "end_date"]) {
      const value = problems.optionalString(body, key);
      if (value !== undefined && Number.isNaN(Date.parse(value)))
        problems.add(key, "format", "must be an RFC 3339 date");
    }
    if (!problems.empty) throw new InvalidArguments(problems.list);
    this.store.requireReady(instance);
    const id = randomUUID();
    const content = Buffer.from(
      `${new Date(now).toISOString()} [emulator] log of instance ${instance.name} (${instance.engine})\n`,
    );
    const download = this.store.ctx.publishDownload(content, `${id}.log`, DOWNLOAD_LINK_TTL_MS);
    const log = {
      id,
      instance_id: instance.id,
      region: instance.region,
      node_name: String(randomInt(10_000_000, 99_999_999)),
      created_at: now,
      expires_at: now + DAY,
      ready_at: now + this.store.duration("logsPrepare"),
      download_url: download.url,
    };
    this.store.logs.set(id, log);
    this.store.changed();
    return log;
  }

  /** The instance's logs that have not expired. */
  logs(instance: InstanceRecord): InstanceLogRecord[] {
    return [...this.store.logs.values()].filter(
      (log) => log.instance_id === instance.id && this.store.now() < log.expires_at,
    );
  }

  purgeLogs(instance: InstanceRecord): void {
    this.store.requireReady(instance);
    for (const log of this.logs(instance)) this.store.logs.delete(log.id);
    this.store.changed();
  }
}
