// The endpoint of a real instance: the emulator owns the instance's public port and forwards each connection to its
// server, which it may first have to start (servers start lazily and idle ones are stopped under --max-servers). The
// instance's ACL is enforced here: a client whose address no rule covers is cut off (a TCP reset) before any byte.
import { connect, createServer, type Server, type Socket } from "node:net";

/** What the proxy needs from the plane for each connection: a running server's port, held while it is used. */
export interface Upstream {
  /** Starts the server if needed and holds it (not stopped as idle) until `release`. */
  hold(): Promise<number>;
  release(): void;
  /** Whether the instance's ACL lets a client of this address in. */
  admits(address: string): boolean;
}

function ipv4Number(address: string): number | undefined {
  const parts = address
    .replace(/^::ffff:/, "")
    .split(".")
    .map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) {
    return undefined;
  }
  return parts.reduce((value, part) => value * 256 + part, 0);
}

/** Whether the IPv4 network `cidr` (`a.b.c.d/n`) covers `address`. */
export function networkCovers(cidr: string, address: string): boolean {
  const [network, bits] = cidr.split("/");
  const base = ipv4Number(network ?? "");
  const ip = ipv4Number(address);
  const length = Number(bits ?? "32");
  if (base === undefined || ip === undefined || !(length >= 0 && length <= 32)) return false;
  const size = 2 ** (32 - length);
  return Math.floor(base / size) === Math.floor(ip / size);
}

export class EndpointProxy {
  private constructor(
    private readonly server: Server,
    private readonly sockets: Set<Socket>,
    readonly port: number,
  ) {}

  /** Listens on `port` of the loopback address (0: a free one). */
  static async open(port: number, upstream: Upstream): Promise<EndpointProxy> {
    const sockets = new Set<Socket>();
    const track = (socket: Socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    };
    const server = createServer((client) => {
      if (!upstream.admits(client.remoteAddress ?? "")) {
        client.resetAndDestroy();
        return;
      }
      track(client);
      forward(client, upstream, track);
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    const address = server.address();
    return new EndpointProxy(server, sockets, typeof address === "object" && address ? address.port : port);
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

function forward(client: Socket, upstream: Upstream, track: (socket: Socket) => void): void {
  client.pause();
  client.on("error", () => undefined);
  upstream.hold().then(
    (port) => {
      const server = connect(port, "127.0.0.1");
      track(server);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        upstream.release();
        client.destroy();
        server.destroy();
      };
      server.on("error", release);
      server.on("close", release);
      client.on("close", release);
      client.pipe(server);
      server.pipe(client);
      client.resume();
    },
    () => client.destroy(),
  );
}
