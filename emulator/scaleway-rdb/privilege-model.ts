// Privileges of RDB users on logical databases: what a user may do on each database (`none` until set). Only existing
// users and databases take privileges, with the permissions the API accepts.
import type { Permission } from "../data-plane";
import { InvalidArguments, NotFound, orderNamed } from "../scaleway-wire";
import type { InstanceRecord, PrivilegeRecord } from "./records";
import type { RdbStore } from "./store";
import { Problems } from "./validation";

/**
 * What a PUT may set; the API also reports `custom` for grants made outside it, which it never sets. On the real
 * data plane each is a real grant on what the database holds (data-plane.ts `setPrivilege`).
 */
const SETTABLE_PERMISSIONS: Permission[] = ["readonly", "readwrite", "all", "none"];

const PRIVILEGE_ORDERS: Record<string, (a: PrivilegeRecord, b: PrivilegeRecord) => number> = {
  user_name_asc: (a, b) => a.user_name.localeCompare(b.user_name),
  user_name_desc: (a, b) => b.user_name.localeCompare(a.user_name),
  database_name_asc: (a, b) => a.database_name.localeCompare(b.database_name),
  database_name_desc: (a, b) => b.database_name.localeCompare(a.database_name),
};

/** The filters and order of GET /privileges. */
export interface PrivilegeFilters {
  databaseName: string | null;
  userName: string | null;
  orderBy: string;
}

/** Forgets the privileges of a dropped user or database, so that one created again under its name starts at `none`. */
export function forgetPrivileges(
  instance: InstanceRecord,
  dropped: { userName?: string; databaseName?: string },
): void {
  instance.privileges = (instance.privileges ?? []).filter(
    (privilege) =>
      privilege.user_name !== dropped.userName && privilege.database_name !== dropped.databaseName,
  );
}

export class PrivilegeModel {
  constructor(private readonly store: RdbStore) {}

  private permissionOf(instance: InstanceRecord, databaseName: string, userName: string): string {
    const set = (instance.privileges ?? []).find(
      (privilege) => privilege.database_name === databaseName && privilege.user_name === userName,
    );
    return set?.permission ?? "none";
  }

  /** Every (database, user) pair of the instance that the filters keep, with its permission. */
  async list(instance: InstanceRecord, filters: PrivilegeFilters): Promise<PrivilegeRecord[]> {
    const order = orderNamed(PRIVILEGE_ORDERS, filters.orderBy);
    const databases = (await this.store.data.listDatabases(instance.id))
      .map((database) => database.name)
      .filter((name) => !filters.databaseName || name === filters.databaseName);
    const users = instance.users
      .map((user) => user.name)
      .filter((name) => !filters.userName || name === filters.userName);
    return databases
      .flatMap((databaseName) =>
        users.map((userName) => ({
          database_name: databaseName,
          user_name: userName,
          permission: this.permissionOf(instance, databaseName, userName),
        })),
      )
      .sort(order);
  }

  /** Sets a user's permission on a database; both must exist and the instance be ready. */
  async set(instance: InstanceRecord, body: Record<string, unknown>): Promise<PrivilegeRecord> {
    const problems = new Problems();
    const databaseName = problems.optionalString(body, "database_name") ?? "";
    const userName = problems.optionalString(body, "user_name") ?? "";
    const permission = problems.optionalString(body, "permission") ?? "";
    if (databaseName === "") problems.add("database_name", "required", "database_name is required");
    if (userName === "") problems.add("user_name", "required", "user_name is required");
    if (!SETTABLE_PERMISSIONS.includes(permission as Permission)) {
      problems.add("permission", "constraint", `must be one of ${SETTABLE_PERMISSIONS.join(", ")}`);
    }
    if (!problems.empty) throw new InvalidArguments(problems.list);
    if (!instance.users.some((user) => user.name === userName)) throw new NotFound("user", userName);
    if (!(await this.store.data.hasDatabase(instance.id, databaseName))) {
      throw new NotFound("database", databaseName);
    }
    this.store.requireReady(instance);
    await this.store.data.setPrivilege(instance.id, databaseName, userName, permission as Permission);
    const privilege = { database_name: databaseName, user_name: userName, permission };
    instance.privileges = [
      ...(instance.privileges ?? []).filter(
        (other) => other.database_name !== databaseName || other.user_name !== userName,
      ),
      privilege,
    ];
    this.store.changed();
    return privilege;
  }
}
