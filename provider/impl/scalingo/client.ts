// Builds the Scalingo client from the provider configuration (`dbaas:scalingo*` stack config, then SCALINGO_*
// variables). One client per configuration is kept for the provider process, so its cached tokens are reused.
import { ConfigurationError, ScalingoClient } from "../../../sdk";
import { type ProviderSettings, providerSettings } from "../config";

const clients = new Map<string, ScalingoClient>();

export async function scalingoClient(): Promise<ScalingoClient> {
  const settings = (await providerSettings()).scalingo;
  const key = JSON.stringify(settings);
  let client = clients.get(key);
  if (!client) {
    client = newClient(settings);
    clients.set(key, client);
  }
  return client;
}

function newClient(settings: ProviderSettings["scalingo"]): ScalingoClient {
  try {
    // The settings are named as the client's options are.
    return new ScalingoClient(settings);
  } catch (error) {
    if (error instanceof ConfigurationError && error.message.includes("credentials are missing")) {
      throw new ConfigurationError(
        "Scalingo credentials are missing: set the SCALINGO_API_TOKEN environment variable to a user API token " +
          "(tk-us-…), or the stack config `dbaas:scalingoApiToken` (pulumi config set --secret dbaas:scalingoApiToken …).",
      );
    }
    throw error;
  }
}
