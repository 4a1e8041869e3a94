import net from "node:net";

/** A port nobody listens on right now, on the loopback interface. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port as number;
}

/**
 * `count` different ports nobody listens on right now: each is held until all are known, since
 * the kernel may hand a port just released to the next caller (the smoke test's gateway and
 * dashboard were once given the same one).
 */
export async function freePorts(count: number): Promise<number[]> {
  const settled = await Promise.allSettled(Array.from({ length: count }, listeningOnAnyPort));
  const servers = settled.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const ports = servers.map((server) => (server.address() as net.AddressInfo).port);
  // every server that did listen is closed, also when another one failed
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  const failure = settled.find((result) => result.status === "rejected");
  if (failure) throw failure.reason;
  return ports;
}

function listeningOnAnyPort(): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}
