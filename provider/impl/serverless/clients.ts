// Builds the Serverless SQL API client from the provider configuration (`dbaas:` stack config, then SCW_* variables).
import { ConfigurationError, ServerlessSqlApi } from "../../../sdk";
import { providerSettings } from "../config";

export async function serverlessApi(): Promise<ServerlessSqlApi> {
  const settings = (await providerSettings()).scaleway;
  try {
    return new ServerlessSqlApi({
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
