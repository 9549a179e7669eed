// Public entry of the emulator: start it in-process (tests, demos) or through `pulumi-dbaas emulator`.

export { runEmulatorCli } from "./cli";
export type { DataPlane, Row } from "./data-plane";
export { SimulatedDataPlane } from "./data-plane";
export type { EmulatorOptions, TimeProfile } from "./framework";
export { type LoggedRequest, type RunningEmulator, startEmulator } from "./server";
