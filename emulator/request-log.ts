// The log of API requests served (GET /_emulator/requests, `RunningEmulator.requests()`): what tests and benchmarks
// read back to count and time the calls a client made.

export interface LoggedRequest {
  method: string;
  path: string;
  /** 0 when a fault dropped the connection without answering. */
  status: number;
  /** ISO 8601 time (from the emulator's clock, which `timeScale` speeds up) the request was received. */
  at: string;
}

/** A logged request with what a benchmark needs besides: the wall-clock time and the query string. */
export interface DetailedRequest extends LoggedRequest {
  /** Wall-clock milliseconds since the epoch the request was received (the real time, whatever the time scale). */
  receivedAtMs: number;
  /** The query string, with its leading `?`, or "" (list requests carry their filters and page there). */
  query: string;
}

export class RequestLog {
  private entries: DetailedRequest[] = [];

  /** Adds a request as received; the caller sets its `status` once answered. */
  record(entry: DetailedRequest): DetailedRequest {
    this.entries.push(entry);
    return entry;
  }

  list(): LoggedRequest[] {
    return this.entries.map(({ method, path, status, at }) => ({ method, path, status, at }));
  }

  detailed(): DetailedRequest[] {
    return this.entries.map((entry) => ({ ...entry }));
  }

  clear(): void {
    this.entries = [];
  }
}
