// The Scaleway client a Pulumi program's lookup functions use: the stack's `dbaas:` config, then SCW_* variables.
import * as pulumi from "@pulumi/pulumi";
import { ScalewayClient } from "../sdk";

export function programScalewayClient(): ScalewayClient {
  const config = new pulumi.Config("dbaas");
  return new ScalewayClient({
    secretKey: config.get("secretKey"),
    accessKey: config.get("accessKey"),
    apiUrl: config.get("apiUrl"),
    defaultProjectId: config.get("projectId"),
    defaultOrganizationId: config.get("organizationId"),
    defaultRegion: config.get("region"),
  });
}
