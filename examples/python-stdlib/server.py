"""A tiny paste service: POST /pastes stores text, GET /pastes/<id> returns it."""

import json
import os
import signal
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from pastebin.store import Store

MAX_BODY = 64 * 1024
store = Store()


class Handler(BaseHTTPRequestHandler):
    server_version = "pastebin/0.2"

    def _send(self, status, body, content_type="application/json"):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/health":
            self._send(HTTPStatus.OK, json.dumps({"status": "ok", "pastes": len(store)}))
            return
        if self.path.startswith("/pastes/"):
            paste = store.get(self.path.removeprefix("/pastes/"))
            if paste is None:
                self._send(HTTPStatus.NOT_FOUND, json.dumps({"error": "no such paste"}))
            else:
                self._send(HTTPStatus.OK, paste, "text/plain; charset=utf-8")
            return
        self._send(HTTPStatus.NOT_FOUND, json.dumps({"error": "not found"}))

    def do_POST(self):
        if self.path != "/pastes":
            self._send(HTTPStatus.NOT_FOUND, json.dumps({"error": "not found"}))
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length <= 0 or length > MAX_BODY:
            self._send(HTTPStatus.BAD_REQUEST, json.dumps({"error": f"body must be 1 to {MAX_BODY} bytes"}))
            return
        paste_id = store.add(self.rfile.read(length).decode("utf-8", "replace"))
        self._send(HTTPStatus.CREATED, json.dumps({"id": paste_id, "url": f"/pastes/{paste_id}"}))

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))


def main():
    port = int(os.environ.get("PORT", "8000"))
    server = ThreadingHTTPServer(("0.0.0.0", port), Handler)
    # docker stop sends SIGTERM unless told otherwise; shut down cleanly on both.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"pastebin listening on :{port}", flush=True)
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
