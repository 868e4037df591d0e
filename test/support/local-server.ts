import http, { type RequestListener } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";

export interface LocalServer {
  url: string;
  close(): void;
}

/** An HTTP(S) server on 127.0.0.1 and a free port, for torch to fetch from. */
export async function serve(handler: RequestListener, tls?: { key: Buffer; cert: Buffer }): Promise<LocalServer> {
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}
