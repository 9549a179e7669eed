// Where the recorded real API traffic the fidelity and schema tests replay lives: inside the repository, so any clone
// passes its tests (DBAAS_RECORDINGS points elsewhere, e.g. at a newer set of recordings).
import * as path from "node:path";

export const RECORDINGS_DIR =
  process.env.DBAAS_RECORDINGS ?? path.join(__dirname, "fixtures", "scaleway-rdb");
