// Where the recorded real API traffic lives: `shared/` sits beside the repository (in CI too), or DBAAS_RECORDINGS.
import * as fs from "node:fs";
import * as path from "node:path";

export const RECORDINGS_DIR =
  process.env.DBAAS_RECORDINGS ?? path.resolve(__dirname, "..", "..", "shared", "fixtures", "scaleway-rdb");

if (!fs.existsSync(RECORDINGS_DIR)) {
  throw new Error(`recorded API traffic not found at ${RECORDINGS_DIR}: set DBAAS_RECORDINGS to its folder`);
}
