// RDB instance endpoints: list, create, get, update, delete, upgrade, clone, restart, maintenance, certificate, metrics.
import { createHash, randomInt, randomUUID } from "node:crypto";
import type { EmulatorRequest, EmulatorResponse, Route } from "../framework";
import { invalidArguments, pageOf, preconditionFailed, readPaging, scalewayError } from "../scaleway-wire";
import {
  findEngineVersion,
  findNodeType,
  findUpgradableVersionById,
  type NodeTypeSpec,
  type VolumeType,
} from "./catalogue";
import {
  defaultSettings,
  type InstanceRecord,
  type InstanceStatus,
  instanceStatus,
  renderInstance,
  renderMaintenance,
} from "./records";
import type { Caller, RdbStore } from "./store";
import {
  checkBlockVolumeSize,
  checkName,
  checkPassword,
  checkSettings,
  checkUserName,
  isUuid,
  objectBody,
  Problems,
  resolveEngine,
  resolveNodeType,
  resolveVolumeType,
} from "./validation";

const BASE = "/rdb/v1/regions/:region/instances";
const HOUR = 3_600_000;

const INSTANCE_ORDERS: Record<string, (a: InstanceRecord, b: InstanceRecord, now: number) => number> = {
  created_at_asc: (a, b) => a.created_at - b.created_at,
  created_at_desc: (a, b) => b.created_at - a.created_at,
  name_asc: (a, b) => a.name.localeCompare(b.name),
  name_desc: (a, b) => b.name.localeCompare(a.name),
  region: (a, b) => a.region.localeCompare(b.region),
  status_asc: (a, b, now) => instanceStatus(a, now).localeCompare(instanceStatus(b, now)),
  status_desc: (a, b, now) => instanceStatus(b, now).localeCompare(instanceStatus(a, now)),
};

function nextBackupRun(now: number, frequencyHours: number, startHour: number | null): number {
  if (startHour === null) return now + frequencyHours * HOUR;
  const next = new Date(now);
  next.setUTCHours(startHour, 0, 0, 0);
  if (next.getTime() <= now) next.setUTCDate(next.getUTCDate() + 1);
  return next.getTime();
}

function volumeFor(type: VolumeType, requestedSize: number | undefined, node: NodeTypeSpec) {
  return { type, size: type === "lssd" ? (node.lssdBytes ?? 0) : (requestedSize ?? 0) };
}

/** Checks a volume type and size for a node type; lssd has a fixed size, block volumes need one. */
function checkVolume(
  problems: Problems,
  node: NodeTypeSpec | undefined,
  volumeType: VolumeType | undefined,
  volumeSize: unknown,
): number | undefined {
  if (volumeType === "lssd") {
    if (typeof volumeSize === "number" && volumeSize !== 0) {
      problems.add(
        "volume_size",
        "constraint",
        "volume_size cannot be set for lssd volumes (fixed by node type)",
      );
    }
    if (node && node.lssdBytes === null) {
      problems.add("volume_type", "constraint", `node type ${node.name} does not offer lssd volumes`);
    }
    return undefined;
  }
  return volumeType ? checkBlockVolumeSize(problems, "volume_size", volumeSize) : undefined;
}

export function instanceRoutes(store: RdbStore): Route[] {
  const withCaller = (
    handler: (req: EmulatorRequest, caller: Caller) => EmulatorResponse,
  ): ((req: EmulatorRequest) => EmulatorResponse) => {
    return (req) => {
      const caller = store.caller(req);
      return caller.ok ? handler(req, caller.value) : caller.response;
    };
  };
  const withInstance = (
    handler: (req: EmulatorRequest, instance: InstanceRecord, caller: Caller) => EmulatorResponse,
  ): ((req: EmulatorRequest) => EmulatorResponse) =>
    withCaller((req, caller) => {
      const found = store.instance(caller, req.params.instanceId);
      return found.ok ? handler(req, found.value, caller) : found.response;
    });

  const startBusy = (
    instance: InstanceRecord,
    status: InstanceStatus,
    operation: Parameters<RdbStore["duration"]>[0],
  ) => {
    const now = store.now();
    const previousEnd = instance.busy && now < instance.busy.until ? instance.busy.until : now;
    instance.busy = { status, until: Math.max(previousEnd, now + store.duration(operation)) };
    store.changed();
  };

  /** The project a create goes to: the token's project, or the body's, which a bound token may not contradict. */
  const targetProject = (
    caller: Caller,
    problems: Problems,
    body: Record<string, unknown>,
  ): { project: string; organization: string } | EmulatorResponse | undefined => {
    const projectId = problems.optionalString(body, "project_id");
    const organizationId = problems.optionalString(body, "organization_id");
    if (caller.projectId !== undefined) {
      if (projectId && projectId !== caller.projectId) {
        return scalewayError(403, "permissions_denied", "insufficient permissions", {
          details: [{ resource: "instance", action: "write" }],
        });
      }
      return { project: caller.projectId, organization: organizationId || caller.projectId };
    }
    const project = projectId || organizationId;
    if (!project) {
      problems.add("project_id", "required", "project_id is required");
      return undefined;
    }
    if (!isUuid(project)) {
      problems.add("project_id", "format", "must be a UUID");
      return undefined;
    }
    return { project, organization: organizationId || project };
  };

  const newInstance = (
    caller: Caller,
    fields: Pick<
      InstanceRecord,
      | "name"
      | "project_id"
      | "organization_id"
      | "engine"
      | "engine_family"
      | "tags"
      | "is_ha_cluster"
      | "volume"
      | "init_settings"
      | "backup_same_region"
      | "encryption_enabled"
    > & {
      node: NodeTypeSpec;
      backupsDisabled: boolean;
      operation: "instanceCreate" | "instanceClone" | "instanceUpgrade";
    },
  ): InstanceRecord => {
    const now = store.now();
    const instance: InstanceRecord = {
      id: randomUUID(),
      region: caller.region,
      name: fields.name,
      organization_id: fields.organization_id,
      project_id: fields.project_id,
      engine: fields.engine,
      engine_family: fields.engine_family,
      tags: fields.tags,
      node_type: fields.node.name,
      size_class: fields.node.sizeClass,
      is_ha_cluster: fields.is_ha_cluster,
      volume: fields.volume,
      init_settings: fields.init_settings,
      settings: [],
      backup_schedule: {
        frequency: 24,
        retention: 7,
        disabled: fields.backupsDisabled,
        start_hour: null,
        next_run_at: now + 24 * HOUR,
      },
      logs_policy: { max_age_retention: 30, total_disk_retention: null },
      backup_same_region: fields.backup_same_region,
      encryption_enabled: fields.encryption_enabled,
      endpoint: { id: randomUUID(), ip: "127.0.0.1", port: randomInt(1024, 30000) },
      maintenances: [],
      users: [],
      created_at: now,
      busy: { status: "provisioning", until: now + store.duration(fields.operation) },
      gone_at: null,
      certificate_serial: 1,
    };
    instance.settings = defaultSettings(instance);
    store.instances.set(instance.id, instance);
    store.changed();
    return instance;
  };

  const list = withCaller((req, caller) => {
    const paging = readPaging(req);
    if ("status" in paging) return paging;
    const orderBy = req.query.get("order_by") ?? "created_at_asc";
    const order = INSTANCE_ORDERS[orderBy];
    if (!order) {
      return invalidArguments([
        {
          argument_name: "order_by",
          reason: "constraint",
          help_message: `must be one of ${Object.keys(INSTANCE_ORDERS).join(", ")}`,
        },
      ]);
    }
    const name = req.query.get("name");
    const tags = req.query
      .getAll("tags")
      .flatMap((value) => value.split(","))
      .filter(Boolean);
    const projectId = req.query.get("project_id");
    const organizationId = req.query.get("organization_id");
    const hasMaintenances = req.query.get("has_maintenances");
    const now = store.now();
    const matching = store
      .liveInstances(caller)
      .filter((instance) => !name || instance.name.includes(name))
      .filter((instance) => tags.every((tag) => instance.tags.includes(tag)))
      .filter((instance) => !projectId || instance.project_id === projectId)
      .filter((instance) => !organizationId || instance.organization_id === organizationId)
      .filter(
        (instance) =>
          hasMaintenances !== "true" ||
          instance.maintenances.some((maintenance) => maintenance.status === "pending"),
      )
      .sort((a, b) => order(a, b, now));
    return pageOf(
      "instances",
      matching.map((instance) => renderInstance(instance, now)),
      paging,
    );
  });

  const create = withCaller((req, caller) => {
    const body = objectBody(req.body);
    if (!body)
      return invalidArguments([
        { argument_name: "body", reason: "format", help_message: "must be an object" },
      ]);
    const problems = new Problems();
    const target = targetProject(caller, problems, body);
    if (target && "status" in target) return target;
    const name = problems.optionalString(body, "name") ?? "";
    checkName(problems, name, true);
    const engine = resolveEngine(problems, body.engine);
    const node = resolveNodeType(problems, "node_type", body.node_type);
    const userName = problems.optionalString(body, "user_name") ?? "";
    const password = problems.optionalString(body, "password") ?? "";
    if (userName !== "") {
      checkUserName(problems, "user_name", userName);
      if (password === "") problems.add("password", "required", "password is required with user_name");
    }
    if (password !== "") checkPassword(problems, "password", password);
    const volumeType =
      body.volume_type === undefined || body.volume_type === null || body.volume_type === ""
        ? "lssd"
        : resolveVolumeType(problems, "volume_type", body.volume_type);
    const volumeSize = checkVolume(problems, node, volumeType, body.volume_size);
    const tags = problems.optionalStringList(body, "tags") ?? [];
    const isHa = problems.optionalBoolean(body, "is_ha_cluster") ?? false;
    const disableBackup = problems.optionalBoolean(body, "disable_backup") ?? false;
    const backupSameRegion = problems.optionalBoolean(body, "backup_same_region") ?? false;
    const encryption = objectBody(body.encryption);
    const encryptionEnabled = encryption ? (problems.optionalBoolean(encryption, "enabled") ?? false) : false;
    if (!encryption) problems.add("encryption", "format", "must be {enabled: boolean}");
    const catalogue = engine ? findEngineVersion(engine.name) : undefined;
    const initSettings = checkSettings(
      problems,
      "init_settings",
      body.init_settings,
      catalogue?.version.available_init_settings ?? [],
    );
    if (!problems.empty || !engine || !node || !volumeType || !target || !initSettings) {
      return invalidArguments(problems.list);
    }
    const instance = newInstance(caller, {
      name,
      project_id: target.project,
      organization_id: target.organization,
      engine: engine.name,
      engine_family: engine.family,
      tags,
      is_ha_cluster: isHa,
      volume: volumeFor(volumeType, volumeSize, node),
      init_settings: initSettings,
      backup_same_region: backupSameRegion,
      encryption_enabled: encryptionEnabled,
      node,
      backupsDisabled: disableBackup,
      operation: "instanceCreate",
    });
    if (userName !== "") instance.users.push({ name: userName, is_admin: true });
    store.data.createDatabase(instance.id, "rdb");
    return { status: 200, body: renderInstance(instance, store.now(), "provisioning") };
  });

  const get = withInstance((_req, instance) => ({
    status: 200,
    body: renderInstance(instance, store.now()),
  }));

  const update = withInstance((req, instance) => {
    const body = objectBody(req.body);
    if (!body)
      return invalidArguments([
        { argument_name: "body", reason: "format", help_message: "must be an object" },
      ]);
    const problems = new Problems();
    const name = problems.optionalString(body, "name");
    checkName(problems, name, false);
    const tags = problems.optionalStringList(body, "tags");
    const frequency = problems.optionalInteger(body, "backup_schedule_frequency", 1, 24 * 7);
    const retention = problems.optionalInteger(body, "backup_schedule_retention", 1, 365);
    const scheduleDisabled = problems.optionalBoolean(body, "is_backup_schedule_disabled");
    const startHour = problems.optionalInteger(body, "backup_schedule_start_hour", 0, 23);
    const sameRegion = problems.optionalBoolean(body, "backup_same_region");
    let logsPolicy: InstanceRecord["logs_policy"] | undefined;
    if (body.logs_policy !== undefined && body.logs_policy !== null) {
      const policy = objectBody(body.logs_policy);
      if (!policy) problems.add("logs_policy", "format", "must be an object");
      else {
        const maxAge = problems.optionalInteger(policy, "max_age_retention", 1, 365);
        const totalDisk = problems.optionalInteger(
          policy,
          "total_disk_retention",
          100_000_000,
          1_000_000_000_000,
        );
        logsPolicy = {
          max_age_retention: maxAge ?? instance.logs_policy.max_age_retention,
          total_disk_retention: totalDisk ?? instance.logs_policy.total_disk_retention,
        };
      }
    }
    if (!problems.empty) return invalidArguments(problems.list);
    const status = instanceStatus(instance, store.now());
    const needsReady =
      frequency !== undefined ||
      retention !== undefined ||
      scheduleDisabled !== undefined ||
      startHour !== undefined ||
      sameRegion !== undefined ||
      logsPolicy !== undefined;
    if (status === "deleting" || (needsReady && status !== "ready")) {
      const busy = store.requireReady(instance);
      if (busy) return busy;
    }
    if (name !== undefined) instance.name = name;
    if (tags !== undefined) instance.tags = tags;
    if (sameRegion !== undefined) instance.backup_same_region = sameRegion;
    const schedule = instance.backup_schedule;
    if (frequency !== undefined) schedule.frequency = frequency;
    if (retention !== undefined) schedule.retention = retention;
    if (startHour !== undefined) schedule.start_hour = startHour;
    if (scheduleDisabled !== undefined) schedule.disabled = scheduleDisabled;
    if (frequency !== undefined || startHour !== undefined || scheduleDisabled === false) {
      schedule.next_run_at = nextBackupRun(store.now(), schedule.frequency, schedule.start_hour);
    }
    store.changed();
    if (logsPolicy) {
      instance.logs_policy = logsPolicy;
      startBusy(instance, "configuring", "logsPolicyConfigure");
      return { status: 200, body: renderInstance(instance, store.now(), "configuring") };
    }
    return { status: 200, body: renderInstance(instance, store.now()) };
  });

  const remove = withInstance((_req, instance) => {
    if (instance.gone_at !== null) return store.requireReady(instance) as EmulatorResponse;
    const now = store.now();
    instance.gone_at = now + store.duration("instanceDelete");
    instance.busy = null;
    store.changed();
    return { status: 200, body: renderInstance(instance, now, "deleting") };
  });

  const upgrade = withInstance((req, instance, caller) => {
    const body = objectBody(req.body);
    if (!body)
      return invalidArguments([
        { argument_name: "body", reason: "format", help_message: "must be an object" },
      ]);
    const given = [
      "node_type",
      "enable_ha",
      "volume_size",
      "volume_type",
      "upgradable_version_id",
      "major_upgrade_workflow",
      "enable_encryption",
    ].filter((key) => body[key] !== undefined && body[key] !== null);
    if (given.length !== 1) {
      return invalidArguments([
        {
          argument_name: given[1] ?? "node_type",
          reason: "constraint",
          help_message:
            "exactly one of node_type, enable_ha, volume_size, volume_type, upgradable_version_id, major_upgrade_workflow, enable_encryption must be set",
        },
      ]);
    }
    const busy = store.requireReady(instance);
    if (busy) return busy;
    const problems = new Problems();
    const [field] = given;
    const currentNode = findNodeType(instance.node_type);
    switch (field) {
      case "node_type": {
        const node = resolveNodeType(problems, "node_type", body.node_type);
        if (node && instance.volume.type === "lssd" && node.lssdBytes === null) {
          problems.add("node_type", "constraint", `node type ${node.name} does not offer lssd volumes`);
        }
        if (!node || !problems.empty) return invalidArguments(problems.list);
        instance.node_type = node.name;
        instance.size_class = node.sizeClass;
        if (instance.volume.type === "lssd") instance.volume.size = node.lssdBytes ?? instance.volume.size;
        break;
      }
      case "enable_ha": {
        if (body.enable_ha !== true) {
          return invalidArguments([
            {
              argument_name: "enable_ha",
              reason: "constraint",
              help_message: "high availability can only be enabled",
            },
          ]);
        }
        instance.is_ha_cluster = true;
        break;
      }
      case "enable_encryption": {
        if (body.enable_encryption !== true) {
          return invalidArguments([
            {
              argument_name: "enable_encryption",
              reason: "constraint",
              help_message: "encryption at rest can only be enabled",
            },
          ]);
        }
        instance.encryption_enabled = true;
        break;
      }
      case "volume_size": {
        if (instance.volume.type === "lssd") {
          return invalidArguments([
            {
              argument_name: "volume_size",
              reason: "constraint",
              help_message: "the size of lssd volumes is fixed by the node type",
            },
          ]);
        }
        const size = checkBlockVolumeSize(problems, "volume_size", body.volume_size);
        if (size !== undefined && size <= instance.volume.size) {
          problems.add("volume_size", "constraint", "volume size can only grow");
        }
        if (size === undefined || !problems.empty) return invalidArguments(problems.list);
        instance.volume.size = size;
        break;
      }
      case "volume_type": {
        const type = resolveVolumeType(problems, "volume_type", body.volume_type);
        if (type === "lssd" && currentNode?.lssdBytes === null) {
          problems.add(
            "volume_type",
            "constraint",
            `node type ${instance.node_type} does not offer lssd volumes`,
          );
        }
        if (!type || !problems.empty) return invalidArguments(problems.list);
        instance.volume =
          type === "lssd"
            ? { type, size: currentNode?.lssdBytes ?? instance.volume.size }
            : { type, size: Math.max(instance.volume.size, 5_000_000_000) };
        break;
      }
      default: {
        const workflow = objectBody(body.major_upgrade_workflow);
        const versionId =
          field === "upgradable_version_id" ? body.upgradable_version_id : workflow?.upgradable_version_id;
        const target =
          typeof versionId === "string" ? findUpgradableVersionById(instance.engine, versionId) : undefined;
        if (!target) {
          return invalidArguments([
            {
              argument_name:
                field === "upgradable_version_id" ? field : "major_upgrade_workflow.upgradable_version_id",
              reason: "constraint",
              help_message: "must be one of the instance's upgradable_version ids",
            },
          ]);
        }
        const node = currentNode ?? findNodeType("db-dev-s");
        if (!node) return invalidArguments(problems.list);
        const upgraded = newInstance(caller, {
          name: instance.name,
          project_id: instance.project_id,
          organization_id: instance.organization_id,
          engine: target.name,
          engine_family: instance.engine_family,
          tags: [...instance.tags],
          is_ha_cluster: instance.is_ha_cluster,
          volume: { ...instance.volume },
          init_settings: instance.init_settings.map((setting) => ({ ...setting })),
          backup_same_region: instance.backup_same_region,
          encryption_enabled: instance.encryption_enabled,
          node,
          backupsDisabled: instance.backup_schedule.disabled,
          operation: "instanceUpgrade",
        });
        upgraded.users = instance.users.map((user) => ({ ...user }));
        store.data.copyInstance(instance.id, upgraded.id);
        if (workflow?.with_endpoints === true) {
          upgraded.endpoint = instance.endpoint;
          instance.endpoint = null;
        }
        return { status: 200, body: renderInstance(upgraded, store.now(), "provisioning") };
      }
    }
    startBusy(instance, "initializing", "instanceUpgrade");
    return { status: 200, body: renderInstance(instance, store.now(), "initializing") };
  });

  const clone = withInstance((req, instance, caller) => {
    const body = objectBody(req.body);
    if (!body)
      return invalidArguments([
        { argument_name: "body", reason: "format", help_message: "must be an object" },
      ]);
    const problems = new Problems();
    const name = problems.optionalString(body, "name") ?? "";
    checkName(problems, name, true);
    const node =
      body.node_type === undefined || body.node_type === null
        ? findNodeType(instance.node_type)
        : resolveNodeType(problems, "node_type", body.node_type);
    if (node && instance.volume.type === "lssd" && node.lssdBytes === null) {
      problems.add("node_type", "constraint", `node type ${node.name} does not offer lssd volumes`);
    }
    if (!problems.empty || !node) return invalidArguments(problems.list);
    const busy = store.requireReady(instance);
    if (busy) return busy;
    const cloned = newInstance(caller, {
      name,
      project_id: instance.project_id,
      organization_id: instance.organization_id,
      engine: instance.engine,
      engine_family: instance.engine_family,
      tags: [...instance.tags],
      is_ha_cluster: instance.is_ha_cluster,
      volume: instance.volume.type === "lssd" ? volumeFor("lssd", undefined, node) : { ...instance.volume },
      init_settings: instance.init_settings.map((setting) => ({ ...setting })),
      backup_same_region: instance.backup_same_region,
      encryption_enabled: instance.encryption_enabled,
      node,
      backupsDisabled: instance.backup_schedule.disabled,
      operation: "instanceClone",
    });
    cloned.users = instance.users.map((user) => ({ ...user }));
    cloned.settings = instance.settings.map((setting) => ({ ...setting }));
    store.data.copyInstance(instance.id, cloned.id);
    return { status: 200, body: renderInstance(cloned, store.now(), "provisioning") };
  });

  const restart = withInstance((_req, instance) => {
    const busy = store.requireReady(instance);
    if (busy) return busy;
    startBusy(instance, "restarting", "instanceRestart");
    return { status: 200, body: renderInstance(instance, store.now(), "restarting") };
  });

  const applyMaintenance = withInstance((_req, instance) => {
    const busy = store.requireReady(instance);
    if (busy) return busy;
    const now = store.now();
    const pending = instance.maintenances.find((maintenance) => maintenance.status === "pending");
    if (!pending) {
      return preconditionFailed("maintenance_pending", "the instance has no pending maintenance to apply");
    }
    pending.status = "done";
    pending.closed_at = now + store.duration("maintenance");
    startBusy(instance, "initializing", "maintenance");
    return { status: 200, body: renderMaintenance(pending, now) };
  });

  const certificate = withInstance((_req, instance) => {
    const body = certificateBytes(instance)
      .toString("base64")
      .replace(/(.{64})/g, "$1\n");
    const pem = `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
    return {
      status: 200,
      body: {
        content: Buffer.from(pem).toString("base64"),
        content_type: "application/x-pem-file",
        name: "ssl_certificate",
      },
    };
  });

  const renewCertificate = withInstance((_req, instance) => {
    const busy = store.requireReady(instance);
    if (busy) return busy;
    instance.certificate_serial += 1;
    store.changed();
    return { status: 204 };
  });

  const metrics = withInstance((req, instance) => {
    const now = store.now();
    const metricName = req.query.get("metric_name");
    const names = [
      "cpu_usage_percent",
      "mem_usage_percent",
      "total_connections",
      "disk_usage_percent",
    ].filter((name) => !metricName || name === metricName);
    return {
      status: 200,
      body: {
        timeseries: names.map((name) => ({
          name,
          points: [[new Date(now).toISOString(), 0]],
          metadata: { node: instance.id.slice(0, 8) },
        })),
      },
    };
  });

  return [
    { method: "GET", pattern: BASE, handler: list },
    { method: "POST", pattern: BASE, handler: create },
    { method: "GET", pattern: `${BASE}/:instanceId`, handler: get },
    { method: "PATCH", pattern: `${BASE}/:instanceId`, handler: update },
    { method: "DELETE", pattern: `${BASE}/:instanceId`, handler: remove },
    { method: "POST", pattern: `${BASE}/:instanceId/upgrade`, handler: upgrade },
    { method: "POST", pattern: `${BASE}/:instanceId/clone`, handler: clone },
    { method: "POST", pattern: `${BASE}/:instanceId/restart`, handler: restart },
    { method: "POST", pattern: `${BASE}/:instanceId/apply-maintenance`, handler: applyMaintenance },
    { method: "GET", pattern: `${BASE}/:instanceId/certificate`, handler: certificate },
    { method: "POST", pattern: `${BASE}/:instanceId/renew-certificate`, handler: renewCertificate },
    { method: "GET", pattern: `${BASE}/:instanceId/metrics`, handler: metrics },
  ];
}

/** Stable pseudo-certificate bytes per instance and renewal, so renewing visibly changes the certificate. */
function certificateBytes(instance: InstanceRecord): Buffer {
  const blocks = Array.from({ length: 12 }, (_, index) =>
    createHash("sha512").update(`${instance.id}:${instance.certificate_serial}:${index}`).digest(),
  );
  return Buffer.concat(blocks);
}
