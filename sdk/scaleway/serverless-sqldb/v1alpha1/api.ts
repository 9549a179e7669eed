// The Scaleway Serverless SQL Database (v1alpha1) client: one method per entry of its table (endpoints named like the
// API reference, all-pages lists, waits). Requests are validated (including path parameters and region) before sending.
import { type RegionalApiClass, type RegionalApiOptions, regionalApi } from "../../regional-api";
import { SERVERLESS_SQLDB_V1ALPHA1 } from "./endpoints";
import type { ServerlessCallbacks } from "./waiters";

export { hasDownloadUrl } from "./waiters";

export type ServerlessSqlApiOptions = RegionalApiOptions;

/** Named so that declarations refer to the table, whose entries document the methods, instead of copying it. */
const ServerlessSqlApiBase: RegionalApiClass<typeof SERVERLESS_SQLDB_V1ALPHA1> =
  regionalApi(SERVERLESS_SQLDB_V1ALPHA1);

/** The Serverless SQL v1alpha1 client; see `SERVERLESS_SQLDB_V1ALPHA1` for what each method does. */
export class ServerlessSqlApi extends ServerlessSqlApiBase implements ServerlessCallbacks {}
