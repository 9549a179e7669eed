// Provider configuration: the `dbaas:` stack config the engine hands to `configure`, falling back to the standard
// environment variables inside the API clients. Kept in this process only, never in state.

/** The subset of Pulumi's dynamic-provider config object the provider reads. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

export interface ProviderSettings {
  scaleway: {
    secretKey?: string;
    accessKey?: string;
    apiUrl?: string;
    projectId?: string;
    organizationId?: string;
    region?: string;
  };
  scalingo: {
    apiToken?: string;
    authUrl?: string;
    apiUrl?: string;
    dbApiUrl?: string;
    region?: string;
  };
}

const CONFIG_KEYS = {
  scaleway: {
    secretKey: "dbaas:secretKey",
    accessKey: "dbaas:accessKey",
    apiUrl: "dbaas:apiUrl",
    projectId: "dbaas:projectId",
    organizationId: "dbaas:organizationId",
    region: "dbaas:region",
  },
  scalingo: {
    apiToken: "dbaas:scalingoApiToken",
    authUrl: "dbaas:scalingoAuthUrl",
    apiUrl: "dbaas:scalingoApiUrl",
    dbApiUrl: "dbaas:scalingoDbApiUrl",
    region: "dbaas:scalingoRegion",
  },
} as const;

function readSection<K extends string>(
  source: ConfigSource,
  keys: Record<K, string>,
): Partial<Record<K, string>> {
  const section: Partial<Record<K, string>> = {};
  for (const [field, key] of Object.entries(keys) as Array<[K, string]>) {
    const value = source.get(key);
    if (value !== undefined && value !== "") section[field] = value;
  }
  return section;
}

export function readSettings(source: ConfigSource): ProviderSettings {
  return {
    scaleway: readSection(source, CONFIG_KEYS.scaleway),
    scalingo: readSection(source, CONFIG_KEYS.scalingo),
  };
}

let current: Promise<ProviderSettings> = Promise.resolve({ scaleway: {}, scalingo: {} });

/**
 * Called by the shim's `configure`. The dynamic-provider host caches the provider before `configure` finishes, so
 * RPCs may arrive early: they all await `providerSettings()`, which resolves once configuration is known.
 */
export function configure(source: ConfigSource | undefined): Promise<void> {
  current = Promise.resolve(source ? readSettings(source) : { scaleway: {}, scalingo: {} });
  return current.then(() => undefined);
}

export function providerSettings(): Promise<ProviderSettings> {
  return current;
}
