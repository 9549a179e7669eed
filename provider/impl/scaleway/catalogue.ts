// The service catalogue `check` validates DatabaseInstance engines and node types against: the engine versions and
// node types a region offers, read once per region and API endpoint per provider process (GETs only).
import { listAll, type RdbApi } from "../../../sdk";
import type { CheckFailure } from "../validation";
import { rdbApi } from "./clients";

export interface Catalogue {
  region: string;
  /** Engine versions new instances can use (`PostgreSQL-16`…), disabled ones apart. */
  engines: string[];
  disabledEngines: string[];
  nodeTypes: string[];
}

const catalogues = new Map<string, Promise<Catalogue | undefined>>();

async function readCatalogue(api: RdbApi, region: string): Promise<Catalogue> {
  const [families, nodeTypes] = await Promise.all([
    listAll((page, pageSize) =>
      api
        .listDatabaseEngines({ region, page, pageSize })
        .then((answer) => ({ items: answer.engines, totalCount: answer.totalCount })),
    ),
    listAll((page, pageSize) =>
      api
        .listNodeTypes({ region, page, pageSize })
        .then((answer) => ({ items: answer.nodeTypes, totalCount: answer.totalCount })),
    ),
  ]);
  const versions = families.flatMap((family) => family.versions);
  return {
    region,
    engines: versions.filter((version) => !version.disabled).map((version) => version.name),
    disabledEngines: versions.filter((version) => version.disabled).map((version) => version.name),
    nodeTypes: nodeTypes.filter((nodeType) => nodeType.disabled !== true).map((nodeType) => nodeType.name),
  };
}

/**
 * The catalogue of `region`, or undefined when it cannot be read (network, credentials…): check then falls back to
 * the syntax rules and the API's own validation at create, and says so once per region, without the error's
 * details beyond its message (the client redacts credentials from it).
 */
export async function catalogueOf(region: string): Promise<Catalogue | undefined> {
  let api: RdbApi;
  try {
    api = await rdbApi();
  } catch (error) {
    return unavailable(region, region, error);
  }
  const key = `${api.client.config.apiUrl}|${region}`;
  let catalogue = catalogues.get(key);
  if (!catalogue) {
    catalogue = readCatalogue(api, region).catch((error: unknown) => unavailable(key, region, error));
    catalogues.set(key, catalogue);
  }
  return catalogue;
}

const reported = new Set<string>();

function unavailable(key: string, region: string, error: unknown): undefined {
  if (!reported.has(key)) {
    reported.add(key);
    const reason = error instanceof Error ? error.message : String(error);
    console.log(
      `scaleway:DatabaseInstance: cannot read the ${region} catalogue of engines and node types (${reason}); ` +
        "they are checked by the API when the instance is created",
    );
  }
  return undefined;
}

const byVersion = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });
const includesIgnoringCase = (list: string[], value: string) =>
  list.some((item) => item.toLowerCase() === value.toLowerCase());

/**
 * The failures of `engine` and `nodeType` against `catalogue`, each naming what the region offers. A disabled engine
 * version is refused unless `existingEngine` (an adopted or cloned instance runs it already).
 */
export function catalogueFailures(
  catalogue: Catalogue,
  values: { engine?: string; nodeType?: string; existingEngine?: boolean },
): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const { engine, nodeType } = values;
  const disabled = engine !== undefined && includesIgnoringCase(catalogue.disabledEngines, engine);
  const accepted =
    includesIgnoringCase(catalogue.engines, engine ?? "") || (disabled && values.existingEngine);
  if (engine !== undefined && !accepted) {
    const offered = [...catalogue.engines].sort(byVersion).join(", ");
    const reason = disabled
      ? `${engine} is no longer offered in ${catalogue.region}: must be one of ${offered}`
      : `must be one of ${offered} (the engines offered in ${catalogue.region})`;
    failures.push({ property: "engine", reason });
  }
  if (nodeType !== undefined && !includesIgnoringCase(catalogue.nodeTypes, nodeType)) {
    const offered = [...catalogue.nodeTypes].sort(byVersion).join(", ");
    failures.push({
      property: "nodeType",
      reason: `must be one of ${offered} (the node types offered in ${catalogue.region})`,
    });
  }
  return failures;
}
