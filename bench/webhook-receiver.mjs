// The benchmark's webhook receiver (bench/webhooks.py): answers 200 at once,
// except under /dead, where it accepts the request and never answers (a
// dead endpoint). GET /stats: how many arrived, and when each event id
// first did (ms since the epoch). Usage: node webhook-receiver.mjs PORT
import http from "node:http";

const first = new Map();
let count = 0;
const server = http.createServer((req, res) => {
  if (req.method === "GET" && req.url === "/stats") {
    const body = JSON.stringify({ count, unique: first.size, arrivals: [...first] });
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(body);
    return;
  }
  if (req.url.startsWith("/dead")) return; // never answers
  const at = performance.timeOrigin + performance.now();
  const id = req.headers["webhook-id"];
  req.resume();
  req.on("end", () => {
    count++;
    if (id && !first.has(id)) first.set(id, at);
    res.writeHead(200, { "Content-Length": "2" });
    res.end("ok");
  });
});
server.keepAliveTimeout = 60000;
server.listen(Number(process.argv[2]), "127.0.0.1", () => console.log("listening"));
