"""A tiny service for `shipway dev` tests (stdlib only, starts in a blink).

GET /health, /env (its wiring), /items/<id> (DynamoDB via TABLE_ITEMS), /cache (INCR in
REDIS_URL), /upstream (GET SERVICE_API_URL/health), /child (pid of a child it spawned),
/exit (exits with status 4), /health/fail and /health/pass (turn /health to 503 and back).
Modes (first argument): `crash` exits at start, `unhealthy` answers /health with 503.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODE = sys.argv[1] if len(sys.argv) > 1 else "normal"
WIRED = ("PORT", "SHIPWAY_", "TABLE_", "BUCKET_", "CACHE_", "REDIS_URL", "SERVICE_",
         "AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION", "JWT_KEY", "API_TOKEN", "GREETING")
CHILD = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
HEALTH = {"healthy": MODE != "unhealthy"}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        routes = {"/health": self.health, "/env": self.env, "/cache": self.cache,
                  "/upstream": self.upstream, "/child": self.child, "/exit": self.exit,
                  "/health/fail": self.health_fail, "/health/pass": self.health_pass}
        if self.path.startswith("/items/"):
            self.item(self.path.removeprefix("/items/"))
        elif self.path in routes:
            routes[self.path]()
        else:
            self.reply(404, {"error": "not found"})

    def health(self) -> None:
        self.reply(200 if HEALTH["healthy"] else 503, {"mode": MODE})

    def health_fail(self) -> None:
        HEALTH["healthy"] = False
        self.reply(200, HEALTH)

    def health_pass(self) -> None:
        HEALTH["healthy"] = True
        self.reply(200, HEALTH)

    def env(self) -> None:
        self.reply(200, {key: value for key, value in os.environ.items() if key.startswith(WIRED)})

    def item(self, item_id: str) -> None:
        import boto3

        found = boto3.client("dynamodb").get_item(TableName=os.environ["TABLE_ITEMS"],
                                                  Key={"id": {"S": item_id}})
        self.reply(200 if "Item" in found else 404, found.get("Item", {}))

    def cache(self) -> None:
        import redis

        with redis.Redis.from_url(os.environ["REDIS_URL"]) as client:
            self.reply(200, {"hits": client.incr("hits")})

    def upstream(self) -> None:
        with urllib.request.urlopen(os.environ["SERVICE_API_URL"] + "/health", timeout=5) as answer:
            self.reply(200, {"upstream_status": answer.status})

    def child(self) -> None:
        self.reply(200, {"pid": CHILD.pid})

    def exit(self) -> None:
        print("exiting on request", flush=True)
        os._exit(4)

    def reply(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        print(f"{self.command} {self.path}", flush=True)


def main() -> None:
    if MODE == "crash":
        print("boom: cannot start", flush=True)
        sys.exit(3)
    server = ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler)
    print(f"listening on {os.environ['PORT']} ({MODE})", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
