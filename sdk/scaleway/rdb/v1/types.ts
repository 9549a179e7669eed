// Models (camelCase) of the RDB v1 API as zod schemas: every response object, and every request the client sends.
// Dates stay ISO 8601 strings, exactly as the API sends them; sizes are bytes.
import { isIP } from "node:net";
import { z } from "zod";
import {
  DATABASE_BACKUP_ORDER_BY,
  DATABASE_BACKUP_STATUSES,
  INSTANCE_LOG_ORDER_BY,
  INSTANCE_LOG_STATUSES,
  INSTANCE_ORDER_BY,
  INSTANCE_STATUSES,
  MAINTENANCE_STATUSES,
  NAME_ORDER_BY,
  PERMISSIONS,
  PRIVILEGE_ORDER_BY,
  READ_REPLICA_STATUSES,
  SNAPSHOT_ORDER_BY,
  SNAPSHOT_STATUSES,
  VOLUME_TYPES,
} from "./content";

// ---- Responses -------------------------------------------------------------------------------------------------
// Unknown fields are accepted; a status this client does not know yet reads as `unknown` instead of failing to parse.

export const SettingSchema = z.object({ name: z.string(), value: z.string() });
export type Setting = z.infer<typeof SettingSchema>;

export const PrivateNetworkSchema = z.object({
  privateNetworkId: z.string(),
  serviceIp: z.string().optional(),
  zone: z.string().optional(),
  provisioningMode: z.string().optional(),
});

export const EndpointSchema = z.object({
  id: z.string(),
  ip: z.string().nullish(),
  hostname: z.string().nullish(),
  port: z.number().int(),
  name: z.string().nullable(),
  loadBalancer: z.object({}).nullish(),
  privateNetwork: PrivateNetworkSchema.nullish(),
  directAccess: z.object({}).nullish(),
});
export type Endpoint = z.infer<typeof EndpointSchema>;

export const UpgradableVersionSchema = z.object({
  id: z.string(),
  name: z.string(),
  version: z.string(),
  minorVersion: z.string(),
});

export const BackupScheduleSchema = z.object({
  frequency: z.number().int(),
  retention: z.number().int(),
  disabled: z.boolean(),
  nextRunAt: z.string().nullable(),
});

export const LogsPolicySchema = z.object({
  maxAgeRetention: z.number().int().nullable(),
  totalDiskRetention: z.number().int().nullable(),
});
export type LogsPolicy = z.infer<typeof LogsPolicySchema>;

export const MaintenanceSchema = z.object({
  startsAt: z.string().nullable(),
  stopsAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  reason: z.string(),
  status: z.enum(MAINTENANCE_STATUSES).catch("unknown"),
  forcedAt: z.string().nullable().optional(),
  isApplicable: z.boolean().optional(),
});
export type Maintenance = z.infer<typeof MaintenanceSchema>;

export const ReadReplicaSchema = z.object({
  id: z.string(),
  instanceId: z.string(),
  /** Empty while provisioning. */
  endpoints: z.array(EndpointSchema),
  status: z.enum(READ_REPLICA_STATUSES).catch("unknown"),
  region: z.string(),
  /** Whether the replica runs in the zone of its primary instance. */
  sameZone: z.boolean(),
});
export type ReadReplica = z.infer<typeof ReadReplicaSchema>;

export const VolumeSchema = z.object({
  /** lssd, bssd, sbs_5k, sbs_15k… (kept open: the service adds volume types). */
  type: z.string(),
  /** Bytes (decimal GB: 10 GB = 10 000 000 000). */
  size: z.number().int(),
  class: z.string().optional(),
});

export const InstanceSchema = z.object({
  id: z.string(),
  name: z.string(),
  organizationId: z.string(),
  projectId: z.string(),
  region: z.string(),
  status: z.enum(INSTANCE_STATUSES).catch("unknown"),
  engine: z.string(),
  upgradableVersion: z.array(UpgradableVersionSchema),
  tags: z.array(z.string()),
  settings: z.array(SettingSchema),
  initSettings: z.array(SettingSchema),
  backupSchedule: BackupScheduleSchema.nullable(),
  isHaCluster: z.boolean(),
  readReplicas: z.array(ReadReplicaSchema),
  /** Returned lowercase whatever the case sent. */
  nodeType: z.string(),
  volume: VolumeSchema.nullable(),
  /** Deprecated by the API in favour of `endpoints`; null while provisioning. */
  endpoint: EndpointSchema.nullable(),
  endpoints: z.array(EndpointSchema),
  logsPolicy: LogsPolicySchema.nullable(),
  backupSameRegion: z.boolean(),
  maintenances: z.array(MaintenanceSchema),
  encryption: z.object({ enabled: z.boolean() }).nullable(),
  createdAt: z.string().nullable(),
  highAvailabilityMode: z.string().optional(),
});
export type Instance = z.infer<typeof InstanceSchema>;

export const ListInstancesResponseSchema = z.object({
  instances: z.array(InstanceSchema),
  totalCount: z.number().int(),
});
export type ListInstancesResponse = z.infer<typeof ListInstancesResponseSchema>;

export const DatabaseBackupSchema = z.object({
  id: z.string(),
  instanceId: z.string(),
  databaseName: z.string(),
  name: z.string(),
  status: z.enum(DATABASE_BACKUP_STATUSES).catch("unknown"),
  /** Bytes; null until the backup is taken. */
  size: z.number().int().nullable(),
  expiresAt: z.string().nullable(),
  createdAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  instanceName: z.string(),
  /** Presigned URL (its query string is a credential), set once an export completes. */
  downloadUrl: z.string().nullable(),
  downloadUrlExpiresAt: z.string().nullable(),
  region: z.string(),
  sameRegion: z.boolean(),
});
export type DatabaseBackup = z.infer<typeof DatabaseBackupSchema>;

export const ListDatabaseBackupsResponseSchema = z.object({
  databaseBackups: z.array(DatabaseBackupSchema),
  totalCount: z.number().int(),
});
export type ListDatabaseBackupsResponse = z.infer<typeof ListDatabaseBackupsResponseSchema>;

export const InstanceLogSchema = z.object({
  id: z.string(),
  status: z.enum(INSTANCE_LOG_STATUSES).catch("unknown"),
  downloadUrl: z.string().nullable(),
  nodeName: z.string(),
  expiresAt: z.string().nullable(),
  createdAt: z.string().nullable(),
  region: z.string(),
});
export type InstanceLog = z.infer<typeof InstanceLogSchema>;

export const InstanceLogsResponseSchema = z.object({ instanceLogs: z.array(InstanceLogSchema) });
export type InstanceLogsResponse = z.infer<typeof InstanceLogsResponseSchema>;

export const InstanceLogsDetailsResponseSchema = z.object({
  details: z.array(z.object({ logName: z.string(), size: z.number().int() })),
});
export type InstanceLogsDetailsResponse = z.infer<typeof InstanceLogsDetailsResponseSchema>;

export const CertificateSchema = z.object({ name: z.string(), contentType: z.string(), content: z.string() });
export type Certificate = z.infer<typeof CertificateSchema>;

export const InstanceMetricsSchema = z.object({
  timeseries: z.array(
    z.object({
      name: z.string(),
      points: z.array(z.tuple([z.string(), z.number()])),
      metadata: z.record(z.string(), z.string()),
    }),
  ),
});
export type InstanceMetrics = z.infer<typeof InstanceMetricsSchema>;

export const AclRuleSchema = z.object({
  /** An IPv4 or IPv6 network in CIDR notation. */
  ip: z.string(),
  /** The port of the instance's public endpoint the rule opens. */
  port: z.number().int().nullish(),
  protocol: z.string(),
  direction: z.string(),
  action: z.string(),
  description: z.string(),
});
export type AclRule = z.infer<typeof AclRuleSchema>;

/** What adding, replacing or deleting ACL rules answers: the rules the call added, set or removed. */
export const AclRulesResponseSchema = z.object({ rules: z.array(AclRuleSchema) });
export type AclRulesResponse = z.infer<typeof AclRulesResponseSchema>;

export const ListInstanceAclRulesResponseSchema = z.object({
  rules: z.array(AclRuleSchema),
  totalCount: z.number().int(),
});
export type ListInstanceAclRulesResponse = z.infer<typeof ListInstanceAclRulesResponseSchema>;

export const PrivilegeSchema = z.object({
  databaseName: z.string(),
  userName: z.string(),
  permission: z.enum(PERMISSIONS).catch("custom"),
});
export type Privilege = z.infer<typeof PrivilegeSchema>;

export const ListPrivilegesResponseSchema = z.object({
  privileges: z.array(PrivilegeSchema),
  totalCount: z.number().int(),
});
export type ListPrivilegesResponse = z.infer<typeof ListPrivilegesResponseSchema>;

export const SnapshotSchema = z.object({
  id: z.string(),
  instanceId: z.string(),
  instanceName: z.string(),
  name: z.string(),
  status: z.enum(SNAPSHOT_STATUSES).catch("unknown"),
  /** Bytes; null until the snapshot is taken. */
  size: z.number().int().nullable(),
  expiresAt: z.string().nullable(),
  createdAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  /** The node type of the instance when the snapshot was taken. */
  nodeType: z.string(),
  /** The volume the snapshot was taken of: an instance made from it gets a volume of this type. */
  volumeType: z.object({ type: z.string(), class: z.string() }).nullable(),
  region: z.string(),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;

export const ListSnapshotsResponseSchema = z.object({
  snapshots: z.array(SnapshotSchema),
  totalCount: z.number().int(),
});
export type ListSnapshotsResponse = z.infer<typeof ListSnapshotsResponseSchema>;

export const SettingsResponseSchema = z.object({ settings: z.array(SettingSchema) });
export type SettingsResponse = z.infer<typeof SettingsResponseSchema>;

export const DatabaseSchema = z.object({
  name: z.string(),
  owner: z.string(),
  managed: z.boolean(),
  /** Bytes. */
  size: z.number().int(),
});
export type Database = z.infer<typeof DatabaseSchema>;

export const ListDatabasesResponseSchema = z.object({
  databases: z.array(DatabaseSchema),
  totalCount: z.number().int(),
});
export type ListDatabasesResponse = z.infer<typeof ListDatabasesResponseSchema>;

export const UserSchema = z.object({ name: z.string(), isAdmin: z.boolean() });
export type User = z.infer<typeof UserSchema>;

export const ListUsersResponseSchema = z.object({ users: z.array(UserSchema), totalCount: z.number().int() });
export type ListUsersResponse = z.infer<typeof ListUsersResponseSchema>;

export const EngineSettingSchema = z.object({
  name: z.string(),
  defaultValue: z.string(),
  hotConfigurable: z.boolean(),
  description: z.string(),
  propertyType: z.string(),
  unit: z.string().nullable(),
  stringConstraint: z.string().nullable(),
  intMin: z.number().nullable(),
  intMax: z.number().nullable(),
  floatMin: z.number().nullable(),
  floatMax: z.number().nullable(),
});
export type EngineSetting = z.infer<typeof EngineSettingSchema>;

export const EngineVersionSchema = z.object({
  version: z.string(),
  name: z.string(),
  endOfLife: z.string().nullable(),
  availableSettings: z.array(EngineSettingSchema),
  disabled: z.boolean(),
  beta: z.boolean(),
  availableInitSettings: z.array(EngineSettingSchema),
  releaseDate: z.string().nullable().optional(),
});

export const DatabaseEngineSchema = z.object({
  name: z.string(),
  logoUrl: z.string(),
  versions: z.array(EngineVersionSchema),
  region: z.string(),
});
export type DatabaseEngine = z.infer<typeof DatabaseEngineSchema>;

export const ListDatabaseEnginesResponseSchema = z.object({
  engines: z.array(DatabaseEngineSchema),
  totalCount: z.number().int(),
});
export type ListDatabaseEnginesResponse = z.infer<typeof ListDatabaseEnginesResponseSchema>;

export const NodeTypeSchema = z.object({
  name: z.string(),
  stockStatus: z.string().optional(),
  description: z.string().optional(),
  vcpus: z.number().int().optional(),
  /** Bytes. */
  memory: z.number().optional(),
  disabled: z.boolean().optional(),
  beta: z.boolean().optional(),
  isHaRequired: z.boolean().optional(),
  generation: z.string().optional(),
  instanceRange: z.string().optional(),
  availableVolumeTypes: z
    .array(
      z.object({
        type: z.string(),
        description: z.string().optional(),
        minSize: z.number().optional(),
        maxSize: z.number().optional(),
        chunkSize: z.number().optional(),
        class: z.string().optional(),
      }),
    )
    .optional(),
  region: z.string().optional(),
});
export type NodeType = z.infer<typeof NodeTypeSchema>;

export const ListNodeTypesResponseSchema = z.object({
  nodeTypes: z.array(NodeTypeSchema),
  totalCount: z.number().int(),
});
export type ListNodeTypesResponse = z.infer<typeof ListNodeTypesResponseSchema>;

// ---- Requests --------------------------------------------------------------------------------------------------
// `region` defaults to the client's region; `projectId` on creates to the client's default project.

const region = z.string().optional();
const id = z.string().min(1);
const page = z.number().int().min(1).optional();
const pageSize = z.number().int().min(1).max(100).optional();
const isoDate = z.string().refine((value) => !Number.isNaN(Date.parse(value)), "must be an ISO 8601 date");
const password = z
  .string()
  .min(8)
  .max(128)
  .refine(
    (value) => /\d/.test(value) && /[a-z]/.test(value) && /[A-Z]/.test(value) && /[^a-zA-Z0-9]/.test(value),
    "must contain a digit, a lowercase letter, an uppercase letter and a special character",
  );

export const ListInstancesRequestSchema = z.object({
  region,
  tags: z.array(z.string()).optional(),
  name: z.string().optional(),
  orderBy: z.enum(INSTANCE_ORDER_BY).optional(),
  organizationId: z.string().optional(),
  projectId: z.string().optional(),
  hasMaintenances: z.boolean().optional(),
  page,
  pageSize,
});
export type ListInstancesRequest = z.input<typeof ListInstancesRequestSchema>;

/** `address/prefix`, e.g. `1.2.3.4/32` for a single host. */
const cidr = z.string().refine((value) => {
  const [address, prefix, ...rest] = value.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0 || prefix === undefined || !/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}, "must be an IP network in CIDR notation, e.g. 1.2.3.4/32");

/**
 * A Private Network endpoint: with `serviceIp` (CIDR) the address is static; without it (`ipamConfig: {}`) IPAM
 * picks one in the network's subnet.
 */
const PrivateNetworkSpecSchema = z.object({
  privateNetworkId: id,
  serviceIp: cidr.optional(),
  ipamConfig: z.object({}).optional(),
});

export const EndpointSpecSchema = z.union([
  z.object({ loadBalancer: z.object({}) }),
  z.object({ privateNetwork: PrivateNetworkSpecSchema }),
]);
export type EndpointSpec = z.input<typeof EndpointSpecSchema>;

export const ReadReplicaEndpointSpecSchema = z.union([
  z.object({ directAccess: z.object({}) }),
  z.object({ privateNetwork: PrivateNetworkSpecSchema }),
]);
export type ReadReplicaEndpointSpec = z.input<typeof ReadReplicaEndpointSpecSchema>;

export const CreateInstanceRequestSchema = z.object({
  region,
  projectId: z.string().optional(),
  name: z.string().min(1),
  engine: z.string().min(1),
  userName: z.string().optional(),
  password: password.optional(),
  nodeType: z.string().min(1),
  isHaCluster: z.boolean().optional(),
  disableBackup: z.boolean().optional(),
  tags: z.array(z.string()).optional(),
  initSettings: z.array(SettingSchema).optional(),
  volumeType: z.enum(VOLUME_TYPES).optional(),
  /** Bytes; not for lssd. */
  volumeSize: z.number().int().positive().optional(),
  initEndpoints: z.array(EndpointSpecSchema).optional(),
  backupSameRegion: z.boolean().optional(),
  encryption: z.object({ enabled: z.boolean() }).optional(),
});
export type CreateInstanceRequest = z.input<typeof CreateInstanceRequestSchema>;

export const InstanceRequestSchema = z.object({ region, instanceId: id });
export type InstanceRequest = z.input<typeof InstanceRequestSchema>;

export const UpdateInstanceRequestSchema = z.object({
  region,
  instanceId: id,
  name: z.string().min(1).optional(),
  tags: z.array(z.string()).optional(),
  logsPolicy: z
    .object({ maxAgeRetention: z.number().int().optional(), totalDiskRetention: z.number().int().optional() })
    .optional(),
  backupSameRegion: z.boolean().optional(),
  backupScheduleFrequency: z.number().int().positive().optional(),
  backupScheduleRetention: z.number().int().positive().optional(),
  isBackupScheduleDisabled: z.boolean().optional(),
  backupScheduleStartHour: z.number().int().min(0).max(23).optional(),
});
export type UpdateInstanceRequest = z.input<typeof UpdateInstanceRequestSchema>;

const UPGRADE_FIELDS = [
  "nodeType",
  "enableHa",
  "volumeSize",
  "volumeType",
  "upgradableVersionId",
  "majorUpgradeWorkflow",
  "enableEncryption",
] as const;

export const UpgradeInstanceRequestSchema = z
  .object({
    region,
    instanceId: id,
    nodeType: z.string().min(1).optional(),
    enableHa: z.literal(true).optional(),
    volumeSize: z.number().int().positive().optional(),
    volumeType: z.enum(VOLUME_TYPES).optional(),
    upgradableVersionId: z.string().min(1).optional(),
    majorUpgradeWorkflow: z
      .object({ upgradableVersionId: z.string().min(1), withEndpoints: z.boolean() })
      .optional(),
    enableEncryption: z.literal(true).optional(),
  })
  .refine(
    (request) => UPGRADE_FIELDS.filter((field) => request[field] !== undefined).length === 1,
    `exactly one of ${UPGRADE_FIELDS.join(", ")} must be set`,
  );
export type UpgradeInstanceRequest = z.input<typeof UpgradeInstanceRequestSchema>;

export const CloneInstanceRequestSchema = z.object({
  region,
  instanceId: id,
  name: z.string().min(1),
  nodeType: z.string().min(1).optional(),
});
export type CloneInstanceRequest = z.input<typeof CloneInstanceRequestSchema>;

export const GetInstanceMetricsRequestSchema = z.object({
  region,
  instanceId: id,
  startDate: isoDate.optional(),
  endDate: isoDate.optional(),
  metricName: z.string().optional(),
});
export type GetInstanceMetricsRequest = z.input<typeof GetInstanceMetricsRequestSchema>;

export const SetInstanceSettingsRequestSchema = z.object({
  region,
  instanceId: id,
  settings: z.array(SettingSchema),
});
export type SetInstanceSettingsRequest = z.input<typeof SetInstanceSettingsRequestSchema>;

export const DeleteInstanceSettingsRequestSchema = z.object({
  region,
  instanceId: id,
  settingNames: z.array(z.string().min(1)).min(1),
});
export type DeleteInstanceSettingsRequest = z.input<typeof DeleteInstanceSettingsRequestSchema>;

export const ListInstanceLogsRequestSchema = z.object({
  region,
  instanceId: id,
  orderBy: z.enum(INSTANCE_LOG_ORDER_BY).optional(),
});
export type ListInstanceLogsRequest = z.input<typeof ListInstanceLogsRequestSchema>;

export const PrepareInstanceLogsRequestSchema = z.object({
  region,
  instanceId: id,
  startDate: isoDate.optional(),
  endDate: isoDate.optional(),
});
export type PrepareInstanceLogsRequest = z.input<typeof PrepareInstanceLogsRequestSchema>;

export const PurgeInstanceLogsRequestSchema = z.object({
  region,
  instanceId: id,
  logName: z.string().optional(),
});
export type PurgeInstanceLogsRequest = z.input<typeof PurgeInstanceLogsRequestSchema>;

export const InstanceLogRequestSchema = z.object({ region, instanceLogId: id });
export type InstanceLogRequest = z.input<typeof InstanceLogRequestSchema>;

export const ListDatabaseBackupsRequestSchema = z.object({
  region,
  name: z.string().optional(),
  orderBy: z.enum(DATABASE_BACKUP_ORDER_BY).optional(),
  instanceId: z.string().optional(),
  organizationId: z.string().optional(),
  projectId: z.string().optional(),
  page,
  pageSize,
});
export type ListDatabaseBackupsRequest = z.input<typeof ListDatabaseBackupsRequestSchema>;

export const CreateDatabaseBackupRequestSchema = z.object({
  region,
  instanceId: id,
  databaseName: z.string().min(1),
  name: z.string().min(1),
  expiresAt: isoDate.optional(),
});
export type CreateDatabaseBackupRequest = z.input<typeof CreateDatabaseBackupRequestSchema>;

export const DatabaseBackupRequestSchema = z.object({ region, databaseBackupId: id });
export type DatabaseBackupRequest = z.input<typeof DatabaseBackupRequestSchema>;

export const UpdateDatabaseBackupRequestSchema = z.object({
  region,
  databaseBackupId: id,
  name: z.string().min(1).optional(),
  expiresAt: isoDate.optional(),
});
export type UpdateDatabaseBackupRequest = z.input<typeof UpdateDatabaseBackupRequestSchema>;

export const RestoreDatabaseBackupRequestSchema = z.object({
  region,
  databaseBackupId: id,
  instanceId: id,
  databaseName: z.string().min(1).optional(),
});
export type RestoreDatabaseBackupRequest = z.input<typeof RestoreDatabaseBackupRequestSchema>;

export const ListDatabasesRequestSchema = z.object({
  region,
  instanceId: id,
  name: z.string().optional(),
  managed: z.boolean().optional(),
  owner: z.string().optional(),
  orderBy: z.enum(NAME_ORDER_BY).optional(),
  page,
  pageSize,
});
export type ListDatabasesRequest = z.input<typeof ListDatabasesRequestSchema>;

export const DatabaseRequestSchema = z.object({ region, instanceId: id, name: z.string().min(1) });
export type DatabaseRequest = z.input<typeof DatabaseRequestSchema>;

export const ListUsersRequestSchema = z.object({
  region,
  instanceId: id,
  name: z.string().optional(),
  orderBy: z.enum(NAME_ORDER_BY).optional(),
  page,
  pageSize,
});
export type ListUsersRequest = z.input<typeof ListUsersRequestSchema>;

export const CreateUserRequestSchema = z.object({
  region,
  instanceId: id,
  name: z.string().min(1),
  password,
  isAdmin: z.boolean().optional(),
});
export type CreateUserRequest = z.input<typeof CreateUserRequestSchema>;

export const UpdateUserRequestSchema = z.object({
  region,
  instanceId: id,
  name: z.string().min(1),
  password: password.optional(),
  isAdmin: z.boolean().optional(),
});
export type UpdateUserRequest = z.input<typeof UpdateUserRequestSchema>;

export const UserRequestSchema = z.object({ region, instanceId: id, name: z.string().min(1) });
export type UserRequest = z.input<typeof UserRequestSchema>;

export const ListDatabaseEnginesRequestSchema = z.object({
  region,
  name: z.string().optional(),
  version: z.string().optional(),
  page,
  pageSize,
});
export type ListDatabaseEnginesRequest = z.input<typeof ListDatabaseEnginesRequestSchema>;

export const ListNodeTypesRequestSchema = z.object({
  region,
  includeDisabledTypes: z.boolean().optional(),
  page,
  pageSize,
});
export type ListNodeTypesRequest = z.input<typeof ListNodeTypesRequestSchema>;

export const ListInstanceAclRulesRequestSchema = z.object({ region, instanceId: id, page, pageSize });
export type ListInstanceAclRulesRequest = z.input<typeof ListInstanceAclRulesRequestSchema>;

export const AclRuleRequestSchema = z.object({ ip: cidr, description: z.string().optional() });
export type AclRuleRequest = z.input<typeof AclRuleRequestSchema>;

export const InstanceAclRulesRequestSchema = z.object({
  region,
  instanceId: id,
  rules: z.array(AclRuleRequestSchema),
});
export type InstanceAclRulesRequest = z.input<typeof InstanceAclRulesRequestSchema>;

export const DeleteInstanceAclRulesRequestSchema = z.object({
  region,
  instanceId: id,
  aclRuleIps: z.array(cidr).min(1),
});
export type DeleteInstanceAclRulesRequest = z.input<typeof DeleteInstanceAclRulesRequestSchema>;

export const ListPrivilegesRequestSchema = z.object({
  region,
  instanceId: id,
  databaseName: z.string().optional(),
  userName: z.string().optional(),
  orderBy: z.enum(PRIVILEGE_ORDER_BY).optional(),
  page,
  pageSize,
});
export type ListPrivilegesRequest = z.input<typeof ListPrivilegesRequestSchema>;

export const SetPrivilegeRequestSchema = z.object({
  region,
  instanceId: id,
  databaseName: z.string().min(1),
  userName: z.string().min(1),
  /** `custom` is only ever reported, never set. */
  permission: z.enum(PERMISSIONS).exclude(["custom"]),
});
export type SetPrivilegeRequest = z.input<typeof SetPrivilegeRequestSchema>;

export const CreateReadReplicaRequestSchema = z.object({
  region,
  instanceId: id,
  endpointSpec: z.array(ReadReplicaEndpointSpecSchema).optional(),
  sameZone: z.boolean().optional(),
});
export type CreateReadReplicaRequest = z.input<typeof CreateReadReplicaRequestSchema>;

export const ReadReplicaRequestSchema = z.object({ region, readReplicaId: id });
export type ReadReplicaRequest = z.input<typeof ReadReplicaRequestSchema>;

export const CreateReadReplicaEndpointRequestSchema = z.object({
  region,
  readReplicaId: id,
  endpointSpec: z.array(ReadReplicaEndpointSpecSchema).min(1),
});
export type CreateReadReplicaEndpointRequest = z.input<typeof CreateReadReplicaEndpointRequestSchema>;

export const ListSnapshotsRequestSchema = z.object({
  region,
  name: z.string().optional(),
  orderBy: z.enum(SNAPSHOT_ORDER_BY).optional(),
  instanceId: z.string().optional(),
  organizationId: z.string().optional(),
  projectId: z.string().optional(),
  page,
  pageSize,
});
export type ListSnapshotsRequest = z.input<typeof ListSnapshotsRequestSchema>;

export const CreateSnapshotRequestSchema = z.object({
  region,
  instanceId: id,
  name: z.string().min(1).optional(),
  expiresAt: isoDate.optional(),
});
export type CreateSnapshotRequest = z.input<typeof CreateSnapshotRequestSchema>;

export const SnapshotRequestSchema = z.object({ region, snapshotId: id });
export type SnapshotRequest = z.input<typeof SnapshotRequestSchema>;

export const UpdateSnapshotRequestSchema = z.object({
  region,
  snapshotId: id,
  name: z.string().min(1).optional(),
  expiresAt: isoDate.optional(),
});
export type UpdateSnapshotRequest = z.input<typeof UpdateSnapshotRequestSchema>;

export const CreateInstanceFromSnapshotRequestSchema = z.object({
  region,
  snapshotId: id,
  instanceName: z.string().min(1),
  isHaCluster: z.boolean().optional(),
  /** Defaults to the snapshot's node type; it must offer the snapshot's volume type. */
  nodeType: z.string().min(1).optional(),
});
export type CreateInstanceFromSnapshotRequest = z.input<typeof CreateInstanceFromSnapshotRequestSchema>;

export const CreateEndpointRequestSchema = z.object({
  region,
  instanceId: id,
  endpointSpec: EndpointSpecSchema,
});
export type CreateEndpointRequest = z.input<typeof CreateEndpointRequestSchema>;

export const EndpointRequestSchema = z.object({ region, endpointId: id });
export type EndpointRequest = z.input<typeof EndpointRequestSchema>;

export const MigrateEndpointRequestSchema = z.object({ region, endpointId: id, instanceId: id });
export type MigrateEndpointRequest = z.input<typeof MigrateEndpointRequestSchema>;
