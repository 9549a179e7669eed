// Builds the Scaleway API clients (RDB, Serverless SQL) from the provider configuration: the `dbaas:` stack config,
// then the SCW_* variables.
import { ConfigurationError, DEFAULT_REGION, RdbApi, ScalewayClient, ServerlessSqlApi } from "../../../sdk";
import { providerSettings } from "../config";
import { formatRegionalId } from "../support";

async function scalewayClient(): Promise<ScalewayClient> {
  const settings = (await providerSettings()).scaleway;
  try {
    return new ScalewayClient({
      secretKey: settings.secretKey,
      accessKey: settings.accessKey,
      apiUrl: settings.apiUrl,
      defaultProjectId: settings.projectId,
      defaultOrganizationId: settings.organizationId,
      defaultRegion: settings.region,
    });
  } catch (error) {
    if (error instanceof ConfigurationError) {
      throw new ConfigurationError(
        "Scaleway credentials are missing: set the stack config `dbaas:secretKey` (pulumi config set --secret " +
          "dbaas:secretKey …) or the SCW_SECRET_KEY environment variable.",
      );
    }
    throw error;
  }
}

export async function rdbApi(): Promise<RdbApi> {
  return new RdbApi(await scalewayClient());
}

export async function serverlessApi(): Promise<ServerlessSqlApi> {
  return new ServerlessSqlApi(await scalewayClient());
}

/** The region a resource lands in when its inputs name none: `dbaas:region`, then SCW_DEFAULT_REGION, then fr-par. */
export async function defaultRegion(): Promise<string> {
  const settings = (await providerSettings()).scaleway;
  return settings.region ?? process.env.SCW_DEFAULT_REGION ?? DEFAULT_REGION;
}

/**
 * Writes each of `keys` that `inputs` give as a bare UUID (and not still unknown) as `{region}/{uuid}` in the default
 * region, as `check` stores ids.
 */
export async function qualifyRegionalIds(
  inputs: Record<string, unknown>,
  keys: readonly string[],
  unknownKeys: readonly string[],
): Promise<void> {
  for (const key of keys) {
    const value = inputs[key];
    if (typeof value === "string" && !value.includes("/") && !unknownKeys.includes(key)) {
      inputs[key] = formatRegionalId(await defaultRegion(), value);
    }
  }
}

/** The project creates go to when the inputs name none: `dbaas:projectId`, then SCW_DEFAULT_PROJECT_ID. */
export async function defaultProjectId(): Promise<string | undefined> {
  const settings = (await providerSettings()).scaleway;
  return settings.projectId ?? (process.env.SCW_DEFAULT_PROJECT_ID || undefined);
}
