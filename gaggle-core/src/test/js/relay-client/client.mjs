// A JavaScript socket.io-client on a Gaggle relay, as a watcher would run it, for JavaScriptClientTest.
// Usage: node client.mjs <relay url> '<options as JSON>'
// Options: token (sent as the handshake's auth payload; none if absent) and declare (the
// declareChannel payload to emit once connected). Prints one JSON line per event: connect,
// connect_error, declared (with the relay's acknowledgement), msg and disconnect. It exits when
// its standard input closes, and after 30 s at the latest.
import { io } from "socket.io-client";

const [url, optionsJson] = process.argv.slice(2);
const { token, declare } = JSON.parse(optionsJson);
const report = (event, detail = {}) => console.log(JSON.stringify({ event, ...detail }));

const socket = io(url, { reconnection: false, auth: token === undefined ? undefined : { token } });
socket.on("connect", () => {
  report("connect");
  if (declare !== undefined) {
    socket.emit("declareChannel", declare, (answer) => report("declared", { answer }));
  }
});
socket.on("connect_error", (error) => report("connect_error", { message: error.message }));
socket.on("disconnect", (reason) => report("disconnect", { reason }));
socket.on("msg", (msg) => report("msg", { msg }));

const exit = () => {
  socket.close();
  process.exit(0);
};
process.stdin.on("end", exit);
process.stdin.resume();
setTimeout(exit, 30_000).unref();
