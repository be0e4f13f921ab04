"""A partner's ORUK API on a real HTTP server, for import tests: it pages its ``/services``,
serves each service in full at ``/services/{id}``, honours ``modified_after`` and records
every request, so a test can see what the importer asked for."""

import http.server
import json
import threading
from urllib.parse import parse_qs, urlsplit


class FeedServer:
    def __init__(self, services, *, per_page_limit=100):
        self.services = {record["id"]: record for record in services}
        self.per_page_limit = per_page_limit
        self.requests = []
        self.failing = False
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                server.requests.append(self.path)
                status, body = server.answer(self.path)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.httpd.server_port}/api/"

    def answer(self, path):
        if self.failing:
            return 500, {"error": "The partner's server is down"}
        parts = urlsplit(path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        if parts.path == "/api/services":
            listed = [
                record
                for record in self.services.values()
                if record.get("last_modified", "") > query.get("modified_after", "")
            ]
            page = int(query.get("page", 1))
            size = min(int(query.get("per_page", 50)), self.per_page_limit)
            contents = listed[(page - 1) * size : page * size]
            return 200, {
                "total_items": len(listed),
                "page_number": page,
                "size": size,
                "first_page": page == 1,
                "last_page": page * size >= len(listed),
                "empty": not contents,
                "contents": [{"id": record["id"], "name": record["name"]} for record in contents],
            }
        service_id = parts.path.removeprefix("/api/services/")
        if service_id in self.services:
            return 200, self.services[service_id]
        return 404, {"error": "Not found."}

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.httpd.shutdown()
        self.httpd.server_close()
