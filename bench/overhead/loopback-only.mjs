// Preloaded into the Portkey gateway (`node --import`): its start-server listens on every
// interface and takes no host, and an open proxy has no business on the machine's network
// during a benchmark. A listen on a bare port is made a listen on 127.0.0.1.
import net from "node:net";

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  if (typeof args[0] === "number" && (args[1] === undefined || typeof args[1] === "function")) {
    args.splice(1, args[1] === undefined ? 1 : 0, "127.0.0.1");
  }
  return listen.apply(this, args);
};
