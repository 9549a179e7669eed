// The endpoint of a real instance: the emulator owns the instance's public port and forwards each connection to its
// server, which it may first have to start (servers start lazily and idle ones are stopped under --max-servers).
import { connect, createServer, type Server, type Socket } from "node:net";

/** What the proxy needs from the plane for each connection: a running server's port, held while it is used. */
export interface Upstream {
  /** Starts the server if needed and holds it (not stopped as idle) until `release`. */
  hold(): Promise<number>;
  release(): void;
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
