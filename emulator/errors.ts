// Typed errors the emulated APIs raise from their models and handlers; the router renders each one in the error
// format of the API that raised it, so models say what went wrong and never how it looks on the wire.
import type { EmulatorResponse } from "./framework";

export abstract class EmulatorError extends Error {
  /** The answer the API gives for this error, in its own wire format. */
  abstract response(): EmulatorResponse;
}
