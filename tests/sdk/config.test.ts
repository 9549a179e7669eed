// Scaleway configuration: explicit options win over SCW_* variables, defaults apply, and a missing secret key is one
// clear error naming where to set it.
import { ConfigurationError } from "../../sdk/core/errors";
import { loadScalewayConfig } from "../../sdk/scaleway/config";

describe("loadScalewayConfig", () => {
  const env = {
    SCW_SECRET_KEY: "env-secret-key-123",
    SCW_ACCESS_KEY: "SCWENVACCESS",
    SCW_DEFAULT_PROJECT_ID: "env-project",
    SCW_DEFAULT_ORGANIZATION_ID: "env-org",
    SCW_DEFAULT_REGION: "nl-ams",
    SCW_API_URL: "http://127.0.0.1:9999",
  };

  it("reads the SCW_* variables", () => {
    expect(loadScalewayConfig({ env })).toEqual({
      secretKey: "env-secret-key-123",
      accessKey: "SCWENVACCESS",
      defaultProjectId: "env-project",
      defaultOrganizationId: "env-org",
      defaultRegion: "nl-ams",
      apiUrl: "http://127.0.0.1:9999",
    });
  });

  it("prefers explicit options", () => {
    const config = loadScalewayConfig({
      env,
      secretKey: "opt-secret-key",
      defaultRegion: "pl-waw",
      apiUrl: "http://a",
    });
    expect(config).toMatchObject({
      secretKey: "opt-secret-key",
      defaultRegion: "pl-waw",
      apiUrl: "http://a",
    });
    expect(config.defaultProjectId).toBe("env-project");
  });

  it("defaults the region and API URL", () => {
    expect(loadScalewayConfig({ env: { SCW_SECRET_KEY: "k-123456789" } })).toMatchObject({
      defaultRegion: "fr-par",
      apiUrl: "https://api.scaleway.com",
    });
  });

  it("names the option and variable when the secret key is missing", () => {
    expect(() => loadScalewayConfig({ env: { SCW_SECRET_KEY: "  " } })).toThrow(ConfigurationError);
    expect(() => loadScalewayConfig({ env: {} })).toThrow(/`secretKey` option or set the SCW_SECRET_KEY/);
  });
});
