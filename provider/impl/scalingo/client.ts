// Builds the Scalingo client from the provider configuration (`dbaas:scalingo*` stack config, then SCALINGO_*
// variables). One client per configuration is kept for the provider process, so its cached tokens are reused.
import { ScalingoClient } from "../../../sdk";
import { providerSettings } from "../config";

const clients = new Map<string, ScalingoClient>();

export async function scalingoClient(): Promise<ScalingoClient> {
  const settings = (await providerSettings()).scalingo;
  const key = JSON.stringify(settings);
  let client = clients.get(key);
  if (!client) {
    client = new ScalingoClient({
      apiToken: settings.apiToken,
      authUrl: settings.authUrl,
      apiUrl: settings.apiUrl,
      dbApiUrl: settings.dbApiUrl,
      region: settings.region,
    });
    clients.set(key, client);
  }
  return client;
}
