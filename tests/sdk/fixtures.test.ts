// Every recorded real response body of an endpoint the clients model must parse with the clients' schemas.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { z } from "zod";
import { NotFoundError, PermissionsDeniedError, parseScalewayError } from "../../sdk/scaleway/errors";
import { unmarshalRdbResponse } from "../../sdk/scaleway/rdb/v1/marshalling";
import * as rdb from "../../sdk/scaleway/rdb/v1/types";
import * as sdb from "../../sdk/scaleway/serverless-sqldb/v1alpha1/types";
import { RECORDINGS_DIR } from "../recordings";

const FIXTURES = RECORDINGS_DIR;

interface Interaction {
  method: string;
  url: string;
  code: number;
  response_body: unknown;
}

const RDB = "/rdb/v1/regions/[a-z-]+";
const SDB = "/serverless-sqldb/v1alpha1/regions/[a-z-]+";
const ID = "[^/]+";

/** [method, path pattern, schema]: which schema parses each modelled endpoint's 2xx answer. */
const ROUTES: Array<[string, RegExp, z.ZodType]> = [
  ["GET", new RegExp(`^${RDB}/instances$`), rdb.ListInstancesResponseSchema],
  ["POST", new RegExp(`^${RDB}/instances$`), rdb.InstanceSchema],
  ["GET|PATCH|DELETE", new RegExp(`^${RDB}/instances/${ID}$`), rdb.InstanceSchema],
  ["POST", new RegExp(`^${RDB}/instances/${ID}/(upgrade|restart|clone)$`), rdb.InstanceSchema],
  ["GET", new RegExp(`^${RDB}/instances/${ID}/certificate$`), rdb.CertificateSchema],
  ["POST", new RegExp(`^${RDB}/instances/${ID}/apply-maintenance$`), rdb.MaintenanceSchema],
  ["POST", new RegExp(`^${RDB}/instances/${ID}/prepare-logs$`), rdb.InstanceLogsResponseSchema],
  ["GET", new RegExp(`^${RDB}/instances/${ID}/databases$`), rdb.ListDatabasesResponseSchema],
  ["POST", new RegExp(`^${RDB}/instances/${ID}/databases$`), rdb.DatabaseSchema],
  ["GET", new RegExp(`^${RDB}/instances/${ID}/users$`), rdb.ListUsersResponseSchema],
  ["POST", new RegExp(`^${RDB}/instances/${ID}/users$`), rdb.UserSchema],
  ["PUT|POST|DELETE", new RegExp(`^${RDB}/instances/${ID}/settings$`), rdb.SettingsResponseSchema],
  ["GET", new RegExp(`^${RDB}/backups$`), rdb.ListDatabaseBackupsResponseSchema],
  ["POST", new RegExp(`^${RDB}/backups$`), rdb.DatabaseBackupSchema],
  ["GET|PATCH|DELETE", new RegExp(`^${RDB}/backups/${ID}$`), rdb.DatabaseBackupSchema],
  ["POST", new RegExp(`^${RDB}/backups/${ID}/(export|restore)$`), rdb.DatabaseBackupSchema],
  ["GET", new RegExp(`^${RDB}/database-engines$`), rdb.ListDatabaseEnginesResponseSchema],
  ["GET", new RegExp(`^${RDB}/instances/${ID}/acls$`), rdb.ListInstanceAclRulesResponseSchema],
  ["PUT|POST|DELETE", new RegExp(`^${RDB}/instances/${ID}/acls$`), rdb.AclRulesResponseSchema],
  ["GET", new RegExp(`^${RDB}/instances/${ID}/privileges$`), rdb.ListPrivilegesResponseSchema],
  ["PUT", new RegExp(`^${RDB}/instances/${ID}/privileges$`), rdb.PrivilegeSchema],
  ["POST", new RegExp(`^${RDB}/instances/${ID}/endpoints$`), rdb.EndpointSchema],
  ["GET|POST", new RegExp(`^${RDB}/endpoints/${ID}(/migrate)?$`), rdb.EndpointSchema],
  ["POST", new RegExp(`^${RDB}/read-replicas$`), rdb.ReadReplicaSchema],
  ["GET|DELETE", new RegExp(`^${RDB}/read-replicas/${ID}$`), rdb.ReadReplicaSchema],
  ["POST", new RegExp(`^${RDB}/read-replicas/${ID}/(reset|endpoints)$`), rdb.ReadReplicaSchema],
  ["POST", new RegExp(`^${RDB}/read-replicas/${ID}/promote$`), rdb.InstanceSchema],
  ["GET", new RegExp(`^${RDB}/snapshots$`), rdb.ListSnapshotsResponseSchema],
  ["POST", new RegExp(`^${RDB}/instances/${ID}/snapshots$`), rdb.SnapshotSchema],
  ["GET|PATCH|DELETE", new RegExp(`^${RDB}/snapshots/${ID}$`), rdb.SnapshotSchema],
  ["POST", new RegExp(`^${RDB}/snapshots/${ID}/create-instance$`), rdb.InstanceSchema],
  ["POST", new RegExp(`^${SDB}/databases$`), sdb.ServerlessDatabaseSchema],
  ["GET|PATCH|DELETE", new RegExp(`^${SDB}/databases/${ID}$`), sdb.ServerlessDatabaseSchema],
  ["GET", new RegExp(`^${SDB}/backups$`), sdb.ListServerlessBackupsResponseSchema],
  ["GET", new RegExp(`^${SDB}/backups/${ID}$`), sdb.ServerlessBackupSchema],
  ["POST", new RegExp(`^${SDB}/backups/${ID}/export$`), sdb.ServerlessBackupSchema],
];

function loadInteractions(): Array<Interaction & { file: string }> {
  return readdirSync(FIXTURES)
    .filter((file) => file.endsWith(".jsonl"))
    .flatMap((file) =>
      readFileSync(join(FIXTURES, file), "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => ({ ...(JSON.parse(line) as Interaction), file })),
    );
}

/** The engines catalogue bodies in the .jsonl files were replaced by a size marker; the full one is apart. */
function isSizeMarker(body: unknown): boolean {
  return typeof body === "object" && body !== null && "_omitted" in body;
}

describe("recorded Scaleway traffic parses with the client schemas", () => {
  const interactions = loadInteractions();
  const modelled = interactions.filter((i) => /\/(rdb|serverless-sqldb)\//.test(new URL(i.url).pathname));

  it("parses every 2xx response body of a modelled endpoint", () => {
    const failures: string[] = [];
    const unmatched: string[] = [];
    let parsed = 0;
    for (const interaction of modelled) {
      if (interaction.code >= 300 || interaction.response_body === null) continue;
      if (isSizeMarker(interaction.response_body)) continue;
      const path = new URL(interaction.url).pathname;
      const route = ROUTES.find(
        ([methods, pattern]) => methods.split("|").includes(interaction.method) && pattern.test(path),
      );
      if (!route) {
        unmatched.push(`${interaction.method} ${path}`);
        continue;
      }
      const result = route[2].safeParse(unmarshalRdbResponse(interaction.response_body));
      if (result.success) parsed++;
      else failures.push(`${interaction.file} ${interaction.method} ${path}: ${result.error.message}`);
    }
    const engines = JSON.parse(readFileSync(join(FIXTURES, "database-engines.json"), "utf8"));
    const catalogue = rdb.ListDatabaseEnginesResponseSchema.safeParse(unmarshalRdbResponse(engines));
    if (catalogue.success) parsed++;
    else failures.push(`database-engines.json: ${catalogue.error.message}`);

    console.log(`parsed ${parsed} recorded response bodies (${modelled.length} modelled interactions)`);
    expect(unmatched).toEqual([]);
    expect(failures).toEqual([]);
    expect(parsed).toBeGreaterThan(300);
  });

  it("maps every recorded error body to its typed error", () => {
    const errors = modelled.filter((i) => i.code >= 400);
    expect(errors.length).toBeGreaterThan(0);
    for (const interaction of errors) {
      const error = parseScalewayError({
        status: interaction.code,
        body: interaction.response_body,
        headers: {},
        request: { method: interaction.method, url: interaction.url },
      });
      if (interaction.code === 404) {
        expect(error).toBeInstanceOf(NotFoundError);
        expect(error.resourceId).toMatch(/^[0-9a-f-]{36}$/);
      } else if (interaction.code === 409) {
        // A race inside the service (concurrent privilege changes) answers a bare message, without a type.
        expect(error.status).toBe(409);
        expect(error.type).toBe("http_409");
      } else {
        expect(error).toBeInstanceOf(PermissionsDeniedError);
      }
    }
  });

  it("keeps volume sizes in bytes and nullable fields as recorded", () => {
    const created = modelled.find(
      (i) =>
        i.file === "action-rdb-database-backup-export-basic.jsonl" &&
        i.method === "POST" &&
        /\/instances$/.test(new URL(i.url).pathname),
    );
    const instance = rdb.InstanceSchema.parse(unmarshalRdbResponse(created?.response_body));
    expect(instance.volume?.size).toBe(10_000_000_000);
    expect(instance.endpoint).toBeNull();
    expect(instance.logsPolicy?.totalDiskRetention).toBeNull();
    expect(instance.backupSchedule?.nextRunAt).toBeNull();
  });
});
