// The Scaleway Managed Databases (RDB v1) client: one method per entry of the RDB table (endpoints named like the API
// reference, all-pages lists, waits). Requests are validated (including path parameters and region) before sending.
import { type RegionalApiClass, type RegionalApiOptions, regionalApi } from "../../regional-api";
import { RDB_V1 } from "./endpoints";
import type { RdbCallbacks } from "./waiters";

export type RdbApiOptions = RegionalApiOptions;

/** Named so that declarations refer to the table, whose entries document the methods, instead of copying it. */
const RdbApiBase: RegionalApiClass<typeof RDB_V1> = regionalApi(RDB_V1);

/** The RDB v1 client; see `RDB_V1` for what each method does. */
export class RdbApi extends RdbApiBase implements RdbCallbacks {}
