// POST /instances/:id/upgrade: exactly one change per request. Most change the instance in place while it is
// initializing; a major-version upgrade creates a new instance holding a copy of the data instead.
import { InvalidArguments } from "../scaleway-wire";
import { findNodeType, findUpgradableVersionById, type NodeTypeSpec } from "./catalogue";
import { checkLssdNode, type InstanceModel, inheritedFields } from "./instance-model";
import type { InstanceRecord } from "./records";
import type { Caller, RdbStore } from "./store";
import { checkBlockVolumeSize, objectBody, Problems, resolveNodeType, resolveVolumeType } from "./validation";

const UPGRADE_FIELDS = [
  "node_type",
  "enable_ha",
  "volume_size",
  "volume_type",
  "upgradable_version_id",
  "major_upgrade_workflow",
  "enable_encryption",
] as const;

type UpgradeField = (typeof UPGRADE_FIELDS)[number];

/** The outcome of an upgrade: the instance changed in place, or the new instance of a major-version upgrade. */
export type Upgraded = { inPlace: InstanceRecord } | { newInstance: InstanceRecord };

/** The one upgrade a request asks for; none or several are refused. */
function upgradeField(body: Record<string, unknown>): UpgradeField {
  const given = UPGRADE_FIELDS.filter((key) => body[key] !== undefined && body[key] !== null);
  if (given.length !== 1) {
    throw InvalidArguments.constraint(
      given[1] ?? "node_type",
      `exactly one of ${UPGRADE_FIELDS.join(", ")} must be set`,
    );
  }
  return given[0];
}

function changeNodeType(instance: InstanceRecord, body: Record<string, unknown>): void {
  const problems = new Problems();
  const node = resolveNodeType(problems, "node_type", body.node_type);
  checkLssdNode(problems, node, instance.volume.type);
  if (!node || !problems.empty) throw new InvalidArguments(problems.list);
  instance.node_type = node.name;
  instance.size_class = node.sizeClass;
  if (instance.volume.type === "lssd") instance.volume.size = node.lssdBytes ?? instance.volume.size;
}

/** High availability and encryption at rest can be turned on, never off. */
function enableOnly(
  body: Record<string, unknown>,
  field: "enable_ha" | "enable_encryption",
  what: string,
): void {
  if (body[field] !== true) throw InvalidArguments.constraint(field, `${what} can only be enabled`);
}

function growVolume(instance: InstanceRecord, body: Record<string, unknown>): void {
  if (instance.volume.type === "lssd") {
    throw InvalidArguments.constraint("volume_size", "the size of lssd volumes is fixed by the node type");
  }
  const problems = new Problems();
  const size = checkBlockVolumeSize(problems, "volume_size", body.volume_size);
  if (size !== undefined && size <= instance.volume.size) {
    problems.add("volume_size", "constraint", "volume size can only grow");
  }
  if (size === undefined || !problems.empty) throw new InvalidArguments(problems.list);
  instance.volume.size = size;
}

function changeVolumeType(
  instance: InstanceRecord,
  currentNode: NodeTypeSpec | undefined,
  body: Record<string, unknown>,
): void {
  const problems = new Problems();
  const type = resolveVolumeType(problems, "volume_type", body.volume_type);
  if (type === "lssd" && currentNode?.lssdBytes === null) {
    problems.add("volume_type", "constraint", `node type ${instance.node_type} does not offer lssd volumes`);
  }
  if (!type || !problems.empty) throw new InvalidArguments(problems.list);
  instance.volume =
    type === "lssd"
      ? { type, size: currentNode?.lssdBytes ?? instance.volume.size }
      : { type, size: Math.max(instance.volume.size, 5_000_000_000) };
}

export class InstanceUpgrades {
  constructor(
    private readonly store: RdbStore,
    private readonly instances: InstanceModel,
  ) {}

  async upgrade(caller: Caller, instance: InstanceRecord, body: Record<string, unknown>): Promise<Upgraded> {
    const field = upgradeField(body);
    this.store.requireReady(instance);
    const currentNode = findNodeType(instance.node_type);
    if (field === "upgradable_version_id" || field === "major_upgrade_workflow") {
      return { newInstance: await this.majorUpgrade(caller, instance, currentNode, field, body) };
    }
    if (field === "node_type") changeNodeType(instance, body);
    if (field === "enable_ha") {
      enableOnly(body, field, "high availability");
      instance.is_ha_cluster = true;
    }
    if (field === "enable_encryption") {
      enableOnly(body, field, "encryption at rest");
      instance.encryption_enabled = true;
    }
    if (field === "volume_size") growVolume(instance, body);
    if (field === "volume_type") changeVolumeType(instance, currentNode, body);
    this.store.startBusy(instance, "initializing", "instanceUpgrade");
    return { inPlace: instance };
  }

  /** A new instance on the target version with a copy of the data; `with_endpoints` moves the endpoint to it. */
  private async majorUpgrade(
    caller: Caller,
    instance: InstanceRecord,
    currentNode: NodeTypeSpec | undefined,
    field: "upgradable_version_id" | "major_upgrade_workflow",
    body: Record<string, unknown>,
  ): Promise<InstanceRecord> {
    const workflow = objectBody(body.major_upgrade_workflow);
    const versionId =
      field === "upgradable_version_id" ? body.upgradable_version_id : workflow?.upgradable_version_id;
    const target =
      typeof versionId === "string" ? findUpgradableVersionById(instance.engine, versionId) : undefined;
    if (!target) {
      throw InvalidArguments.constraint(
        field === "upgradable_version_id" ? field : "major_upgrade_workflow.upgradable_version_id",
        "must be one of the instance's upgradable_version ids",
      );
    }
    const node = currentNode ?? findNodeType("db-dev-s");
    if (!node) throw new InvalidArguments([]);
    const upgraded = this.instances.add(caller, {
      ...inheritedFields(instance),
      name: instance.name,
      engine: target.name,
      volume: { ...instance.volume },
      node,
      operation: "instanceUpgrade",
    });
    upgraded.users = instance.users.map((user) => ({ ...user }));
    // Grants travel with the data, the ACL with the instance's configuration.
    upgraded.privileges = instance.privileges?.map((privilege) => ({ ...privilege }));
    upgraded.acl_rules = instance.acl_rules?.map((rule) => ({ ...rule }));
    await this.store.provision(upgraded, { copyOf: instance.id });
    if (workflow?.with_endpoints === true) {
      await this.store.data.moveEndpoint(instance.id, upgraded.id);
      upgraded.endpoint = instance.endpoint;
      upgraded.endpoints = instance.endpoints;
      instance.endpoint = null;
      instance.endpoints = undefined;
    }
    return upgraded;
  }
}
