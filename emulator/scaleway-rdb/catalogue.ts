// What the emulated RDB region offers: engines and settings (the recorded real /database-engines answer), node types,
// volume types, upgrade targets, and the settings the service fills in after provisioning.
import databaseEnginesResponse from "./database-engines.json";

export const REGIONS = ["fr-par", "nl-ams", "pl-waw"] as const;

export interface SettingSpec {
  name: string;
  default_value: string;
  property_type: "BOOLEAN" | "INT" | "STRING" | "FLOAT";
  unit?: string | null;
  int_min: number | null;
  int_max: number | null;
  float_min: number | null;
  float_max: number | null;
  string_constraint: string | null;
}

export interface EngineVersion {
  name: string;
  version: string;
  disabled: boolean;
  available_settings: SettingSpec[];
  available_init_settings: SettingSpec[];
}

interface EngineFamily {
  name: string;
  versions: EngineVersion[];
}

export const DATABASE_ENGINES_RESPONSE: { engines: EngineFamily[]; total_count: number } =
  databaseEnginesResponse as { engines: EngineFamily[]; total_count: number };

/** Finds an engine version by its name (`PostgreSQL-15`), in any case. */
export function findEngineVersion(name: string): { family: string; version: EngineVersion } | undefined {
  for (const family of DATABASE_ENGINES_RESPONSE.engines) {
    const version = family.versions.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
    if (version) return { family: family.name, version };
  }
  return undefined;
}

/** Upgrade targets: ids and minor versions as the real API reported them. */
const VERSION_RELEASES: Record<string, { id: string; minor_version: string }> = {
  "PostgreSQL-15": { id: "3415608d-39a7-4ac4-addd-d6eb9a1220b9", minor_version: "15.18" },
  "PostgreSQL-16": { id: "7b94ce61-24cf-42e7-b598-9c7e957fda9d", minor_version: "16.14" },
  "PostgreSQL-17": { id: "fa0d1d64-5753-4792-8af2-668b5c10ffd2", minor_version: "17.10" },
};

export interface UpgradableVersion {
  id: string;
  name: string;
  version: string;
  minor_version: string;
}

/** Newer enabled major versions of the same engine. */
export function upgradableVersions(engine: string): UpgradableVersion[] {
  const current = findEngineVersion(engine);
  if (!current) return [];
  const family = DATABASE_ENGINES_RESPONSE.engines.find((candidate) => candidate.name === current.family);
  return (family?.versions ?? [])
    .filter((candidate) => !candidate.disabled && Number(candidate.version) > Number(current.version.version))
    .filter((candidate) => VERSION_RELEASES[candidate.name] !== undefined)
    .map((candidate) => ({
      id: VERSION_RELEASES[candidate.name].id,
      name: candidate.name,
      version: candidate.version,
      minor_version: VERSION_RELEASES[candidate.name].minor_version,
    }))
    .sort((a, b) => Number(a.version) - Number(b.version));
}

export function findUpgradableVersionById(engine: string, id: string): UpgradableVersion | undefined {
  return upgradableVersions(engine).find((candidate) => candidate.id === id);
}

export const VOLUME_TYPES = ["lssd", "bssd", "sbs_5k", "sbs_15k"] as const;
export type VolumeType = (typeof VOLUME_TYPES)[number];

export function volumeClass(type: VolumeType): string {
  return type.startsWith("sbs") ? "sbs" : type;
}

/** Block volumes grow in steps of 5 GB (decimal), as the API requires. */
export const VOLUME_CHUNK_BYTES = 5_000_000_000;
export const VOLUME_MAX_BYTES = 10_000_000_000_000;

export type SizeClass = "small" | "medium" | "large";

export interface NodeTypeSpec {
  name: string;
  description: string;
  vcpus: number;
  memoryBytes: number;
  /** Local SSD size when the node type offers it (fixed, not chosen by the user). */
  lssdBytes: number | null;
  sizeClass: SizeClass;
  generation: "generation_v1" | "generation_v2";
  instanceRange: string;
}

const GB = 1_000_000_000;
const GIB = 1024 ** 3;

export const NODE_TYPES: NodeTypeSpec[] = [
  {
    name: "db-dev-s",
    description: "DB-DEV-S",
    vcpus: 2,
    memoryBytes: 2 * GIB,
    lssdBytes: 5 * GB,
    sizeClass: "small",
    generation: "generation_v1",
    instanceRange: "dev",
  },
  {
    name: "db-dev-m",
    description: "DB-DEV-M",
    vcpus: 3,
    memoryBytes: 4 * GIB,
    lssdBytes: 25 * GB,
    sizeClass: "medium",
    generation: "generation_v1",
    instanceRange: "dev",
  },
  {
    name: "db-dev-l",
    description: "DB-DEV-L",
    vcpus: 4,
    memoryBytes: 8 * GIB,
    lssdBytes: 50 * GB,
    sizeClass: "large",
    generation: "generation_v1",
    instanceRange: "dev",
  },
  {
    name: "db-play2-pico",
    description: "DB-PLAY2-PICO",
    vcpus: 1,
    memoryBytes: 2 * GIB,
    lssdBytes: null,
    sizeClass: "small",
    generation: "generation_v2",
    instanceRange: "play2",
  },
  {
    name: "db-play2-nano",
    description: "DB-PLAY2-NANO",
    vcpus: 2,
    memoryBytes: 4 * GIB,
    lssdBytes: null,
    sizeClass: "small",
    generation: "generation_v2",
    instanceRange: "play2",
  },
  {
    name: "db-pro2-xxs",
    description: "DB-PRO2-XXS",
    vcpus: 2,
    memoryBytes: 8 * GIB,
    lssdBytes: null,
    sizeClass: "medium",
    generation: "generation_v2",
    instanceRange: "pro2",
  },
];

export function findNodeType(name: string): NodeTypeSpec | undefined {
  return NODE_TYPES.find((candidate) => candidate.name === name.toLowerCase());
}

export function nodeTypeWire(spec: NodeTypeSpec, region: string): object {
  const blockVolume = (type: VolumeType, description: string) => ({
    type,
    description,
    min_size: VOLUME_CHUNK_BYTES,
    max_size: VOLUME_MAX_BYTES,
    chunk_size: VOLUME_CHUNK_BYTES,
    class: volumeClass(type),
  });
  const volumes = [
    ...(spec.lssdBytes === null
      ? []
      : [
          {
            type: "lssd",
            description: "Local SSD storage",
            min_size: spec.lssdBytes,
            max_size: spec.lssdBytes,
            chunk_size: spec.lssdBytes,
            class: "lssd",
          },
        ]),
    blockVolume("sbs_5k", "Block storage, 5,000 IOPS"),
    blockVolume("sbs_15k", "Block storage, 15,000 IOPS"),
  ];
  return {
    name: spec.name,
    stock_status: "available",
    description: spec.description,
    vcpus: spec.vcpus,
    memory: spec.memoryBytes,
    volume_constraint: { min_size: spec.lssdBytes ?? VOLUME_CHUNK_BYTES, max_size: VOLUME_MAX_BYTES },
    is_bssd_compatible: spec.lssdBytes !== null,
    disabled: false,
    beta: false,
    available_volume_types: volumes,
    is_ha_required: false,
    generation: spec.generation,
    instance_range: spec.instanceRange,
    region,
  };
}

/** Settings the service writes after provisioning, sized for the node (values as recorded on real instances). */
const POSTGRES_TUNED_SETTINGS: Record<SizeClass, Record<string, string>> = {
  small: {
    effective_cache_size: "1300",
    maintenance_work_mem: "150",
    max_connections: "100",
    max_parallel_workers: "0",
    max_parallel_workers_per_gather: "0",
    work_mem: "4",
  },
  medium: {
    effective_cache_size: "2700",
    maintenance_work_mem: "300",
    max_connections: "150",
    max_parallel_workers: "1",
    max_parallel_workers_per_gather: "0",
    work_mem: "8",
  },
  large: {
    effective_cache_size: "5500",
    maintenance_work_mem: "600",
    max_connections: "200",
    max_parallel_workers: "2",
    max_parallel_workers_per_gather: "1",
    work_mem: "16",
  },
};

export function provisionedSettings(
  engineFamily: string,
  sizeClass: SizeClass,
): Array<{ name: string; value: string }> {
  const values: Record<string, string> =
    engineFamily === "PostgreSQL" ? POSTGRES_TUNED_SETTINGS[sizeClass] : { max_connections: "100" };
  return Object.entries(values)
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
