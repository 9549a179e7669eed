// The package version, read once from package.json, for the User-Agent header of every client.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

const PACKAGE_NAME = "pulumi-dbaas";
let cachedVersion: string | undefined;

/** Walks up from this file (sdk/core in sources, dist/sdk/core once built) to the package's own package.json. */
export function packageVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  cachedVersion = "0.0.0";
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, "package.json");
    if (existsSync(candidate)) {
      const manifest: unknown = JSON.parse(readFileSync(candidate, "utf8"));
      if (
        typeof manifest === "object" &&
        manifest !== null &&
        "name" in manifest &&
        manifest.name === PACKAGE_NAME &&
        "version" in manifest &&
        typeof manifest.version === "string"
      ) {
        cachedVersion = manifest.version;
        break;
      }
    }
    if (dirname(dir) === dir) break;
  }
  return cachedVersion;
}

export function userAgent(): string {
  return `${PACKAGE_NAME}/${packageVersion()}`;
}
