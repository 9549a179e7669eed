// The HTTP side of the emulator: reading a request into an EmulatorRequest and writing an EmulatorResponse back.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { EmulatorRequest, EmulatorResponse } from "./framework";

const INVALID_JSON: EmulatorResponse = {
  status: 400,
  body: { message: "request body is not valid JSON", type: "invalid_request_error" },
};

export function isLoopback(socket: Socket): boolean {
  const address = socket.remoteAddress ?? "";
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

/** The request with its JSON body parsed, or the 400 a body that is not JSON gets. */
export async function readRequest(
  incoming: IncomingMessage,
): Promise<{ request: EmulatorRequest; search: string } | { invalid: EmulatorResponse }> {
  const url = new URL(incoming.url ?? "/", "http://emulator.invalid");
  const rawBody = await readBody(incoming);
  let body: unknown;
  if (rawBody.length > 0) {
    try {
      body = JSON.parse(rawBody.toString("utf8"));
    } catch {
      return { invalid: INVALID_JSON };
    }
  }
  const request: EmulatorRequest = {
    method: (incoming.method ?? "GET").toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers: incoming.headers,
    body,
    params: {},
  };
  return { request, search: url.search };
}

export function send(response: ServerResponse, answer: EmulatorResponse): void {
  const headers: Record<string, string> = { ...answer.headers };
  let payload: Buffer | undefined;
  if (answer.raw) {
    payload = answer.raw;
  } else if (answer.body !== undefined) {
    payload = Buffer.from(JSON.stringify(answer.body));
    headers["content-type"] ??= "application/json";
  }
  if (payload) headers["content-length"] = String(payload.length);
  response.writeHead(answer.status, headers);
  response.end(payload);
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
