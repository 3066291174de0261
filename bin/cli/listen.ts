import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CliError } from './usage.js';

function listenError(error: NodeJS.ErrnoException, host: string, port: number): CliError {
  switch (error.code) {
    case 'EADDRINUSE':
      return new CliError(`Port ${port} is already in use on ${host}`);
    case 'EACCES':
      return new CliError(`Not allowed to listen on ${host}:${port} (ports below 1024 need privileges)`);
    case 'EADDRNOTAVAIL':
      return new CliError(`Cannot listen on ${host}: that address is not on this machine`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new CliError(`Cannot listen on ${host}: unknown host name`);
    default:
      return new CliError(`Cannot listen on ${host}:${port}: ${error.message}`);
  }
}

/** An HTTP server bound to host:port, with no request handler yet. */
export async function listen(host: string, port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(listenError(error, host, port));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  return server;
}

export function urlOf(server: Server): string {
  const { address, port } = server.address() as AddressInfo;
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
}
