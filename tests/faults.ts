// How a test's injected emulator fault (POST /_emulator/faults) answers when it stands in for a Scaleway API refusal;
// shared by the SDK, emulator and provider suites, which each say themselves which requests a fault hits.

/** The answer of a refusal: `status` with the API's error body (`type`, and a `message` for the logs) and headers. */
export function apiError(status: number, type: string, message: string, headers?: Record<string, string>) {
  return { status, body: { message, type }, ...(headers && { headers }) };
}
