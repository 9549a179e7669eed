// Every API module the emulator hosts; the server builds each one from its factory at start.
import type { ModuleFactory } from "./framework";
import { scalewayRdbModule } from "./scaleway-rdb";
import { createScalingoModule } from "./scalingo";
import { createServerlessSqlModule } from "./serverless-sqldb";

export const MODULE_FACTORIES: ModuleFactory[] = [
  scalewayRdbModule,
  createScalingoModule,
  createServerlessSqlModule,
];
