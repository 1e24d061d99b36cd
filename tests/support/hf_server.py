"""A Hugging Face Hub look-alike on loopback, enough for the real ``huggingface_hub`` client.

It serves the file-resolve protocol (HEAD and ranged GET on
``/{repo}/resolve/{revision}/{path}`` with ``X-Repo-Commit``, ``ETag`` / ``X-Linked-Etag``
and ``X-Error-Code``), and the calls ``create_repo`` and ``upload_folder`` make
(``/api/repos/create``, ``preupload`` and ``commit``), so downloads, revisions, offline
mode and publishing are exercised for real. Faults can be injected per file: an HTTP
status, a transfer cut short, or bytes that do not match the announced sha256.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

__all__ = ["Fault", "HubServer"]

_LARGE = (".safetensors", ".bin", ".pth", ".pt")  # served as LFS files: their ETag is their sha256


@dataclass
class Fault:
    """A misbehaviour for one file: answer ``status``, cut the body after ``cut_after`` bytes, or send other bytes."""

    status: int | None = None
    cut_after: int | None = None
    corrupt: bool = False
    times: int | None = None  # None: every request; n: the next n GET requests only


@dataclass
class _Repo:
    commits: dict[str, dict[str, bytes]] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)


def _git_blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class HubServer:
    """A thread serving repositories from memory; use as a context manager."""

    def __init__(self) -> None:
        self.repos: dict[str, _Repo] = {}
        self.faults: dict[tuple[str, str], Fault] = {}
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._commit_counter = 0
        handler = type("Handler", (_Handler,), {"hub": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> HubServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def add_commit(self, repo_id: str, files: dict[str, bytes | Path], *, branch: str = "main") -> str:
        """Commit ``files`` on top of ``branch`` (created if needed); returns the commit sha."""
        with self._lock:
            repo = self.repos.setdefault(repo_id, _Repo())
            parent = repo.commits.get(repo.refs.get(branch, ""), {})
            content = {**parent, **{name: (v.read_bytes() if isinstance(v, Path) else v) for name, v in files.items()}}
            self._commit_counter += 1
            sha = hashlib.sha1(f"{repo_id}:{self._commit_counter}".encode()).hexdigest()
            repo.commits[sha] = content
            repo.refs[branch] = sha
            return sha

    def tag(self, repo_id: str, name: str, commit: str) -> None:
        self.repos[repo_id].refs[name] = commit

    def fault(self, repo_id: str, filename: str, fault: Fault) -> None:
        self.faults[(repo_id, filename)] = fault

    def files(self, repo_id: str, revision: str = "main") -> dict[str, bytes]:
        repo = self.repos[repo_id]
        return repo.commits[repo.refs.get(revision, revision)]

    def count(self, method: str, fragment: str) -> int:
        return sum(1 for m, path in self.requests if m == method and fragment in path)


class _Handler(BaseHTTPRequestHandler):
    hub: HubServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read self.hub.requests
        pass

    # -- file resolution ----------------------------------------------------------------
    def _resolve(self) -> tuple[str, str, str, bytes] | None:
        path = unquote(urlparse(self.path).path)
        match = re.fullmatch(r"/(?:models/)?([^/]+/[^/]+)/resolve/([^/]+)/(.+)", path)
        if not match:
            self._error(404, "EntryNotFound", "no such route")
            return None
        repo_id, revision, filename = match.groups()
        repo = self.hub.repos.get(repo_id)
        if repo is None:
            self._error(401, "RepoNotFound", f"Repository Not Found for url: {self.path}")
            return None
        commit = repo.refs.get(revision, revision)
        if commit not in repo.commits:
            self._error(404, "RevisionNotFound", f"Invalid rev id: {revision}")
            return None
        data = repo.commits[commit].get(filename)
        if data is None:
            self._error(404, "EntryNotFound", f"{filename} does not exist", commit=commit)
            return None
        return repo_id, commit, filename, data

    def _file_headers(self, commit: str, filename: str, data: bytes) -> None:
        self.send_header("X-Repo-Commit", commit)
        self.send_header("Accept-Ranges", "bytes")
        if filename.endswith(_LARGE):
            sha = hashlib.sha256(data).hexdigest()
            self.send_header("ETag", f'"{sha}"')
            self.send_header("X-Linked-Etag", f'"{sha}"')
            self.send_header("X-Linked-Size", str(len(data)))
        else:
            self.send_header("ETag", f'"{_git_blob_sha(data)}"')

    def _take_fault(self, repo_id: str, filename: str, *, for_get: bool) -> Fault | None:
        fault = self.hub.faults.get((repo_id, filename))
        if fault is None or (fault.status is None and not for_get):
            return None  # body faults only show on GET; HEAD must succeed for them
        if for_get and fault.times is not None:
            if fault.times <= 0:
                return None
            fault.times -= 1
        return fault

    def _start_file_request(self) -> tuple[str, str, bytes, Fault | None] | None:
        """Record the request, resolve the file and apply an injected status; None when answered already."""
        self.hub.requests.append((self.command, self.path))
        resolved = self._resolve()
        if resolved is None:
            return None
        repo_id, commit, filename, data = resolved
        fault = self._take_fault(repo_id, filename, for_get=self.command == "GET")
        if fault and fault.status:
            self._error(fault.status, None, "injected failure")
            return None
        return commit, filename, data, fault

    def do_HEAD(self) -> None:
        started = self._start_file_request()
        if started is None:
            return
        commit, filename, data, _ = started
        self.send_response(200)
        self._file_headers(commit, filename, data)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()

    def do_GET(self) -> None:
        started = self._start_file_request()
        if started is None:
            return
        commit, filename, data, fault = started
        start = 0
        range_header = self.headers.get("Range")
        if range_header and (m := re.fullmatch(r"bytes=(\d+)-", range_header.strip())):
            start = int(m.group(1))
        body = data[start:]
        if fault and fault.corrupt:
            body = bytes(b ^ 0xFF for b in body[:64]) + body[64:]
        self.send_response(206 if start else 200)
        self._file_headers(commit, filename, data)
        self.send_header("Content-Length", str(len(body)))
        if start:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.end_headers()
        if fault and fault.cut_after is not None:
            self.wfile.write(body[: fault.cut_after])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)

    # -- publishing -------------------------------------------------------------------------
    def do_POST(self) -> None:
        self.hub.requests.append(("POST", self.path))
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else self._read_chunked()
        path = urlparse(self.path).path
        if path == "/api/repos/create":
            request = json.loads(body)
            repo_id = f"{request['organization']}/{request['name']}" if request.get("organization") else request["name"]
            if repo_id in self.hub.repos:
                self._json(
                    409, {"error": "You already created this model repo", "url": f"{self.hub.endpoint}/{repo_id}"}
                )
                return
            self.hub.add_commit(repo_id, {".gitattributes": b"*.safetensors filter=lfs diff=lfs merge=lfs -text\n"})
            self._json(200, {"url": f"{self.hub.endpoint}/{repo_id}", "name": repo_id})
            return
        if path == "/api/validate-yaml":  # the model card's metadata check
            self._json(200, {"errors": [], "warnings": []})
            return
        if m := re.fullmatch(r"/api/models/([^/]+/[^/]+)/preupload/([^/]+)", path):
            files = json.loads(body)["files"]
            self._json(
                200, {"files": [{"path": f["path"], "uploadMode": "regular", "shouldIgnore": False} for f in files]}
            )
            return
        if m := re.fullmatch(r"/api/models/([^/]+/[^/]+)/commit/([^/]+)", path):
            repo_id, revision = m.group(1), unquote(m.group(2))
            if repo_id not in self.hub.repos:
                self._json(404, {"error": "Repository not found"}, error_code="RepoNotFound")
                return
            files: dict[str, bytes] = {}
            for line in body.decode().splitlines():
                if not line.strip():
                    continue
                item = json.loads(line)
                if item["key"] == "file":
                    files[item["value"]["path"]] = base64.b64decode(item["value"]["content"])
            sha = self.hub.add_commit(repo_id, files, branch=revision)
            self._json(200, {"commitUrl": f"{self.hub.endpoint}/{repo_id}/commit/{sha}", "commitOid": sha})
            return
        self._json(404, {"error": f"no route {path}"})

    def _read_chunked(self) -> bytes:
        chunks = []
        while True:
            size = int(self.rfile.readline().strip() or b"0", 16)
            if size == 0:
                self.rfile.readline()
                return b"".join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    # -- answers --------------------------------------------------------------------------------
    def _json(self, status: int, payload: dict[str, Any], error_code: str | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if error_code:
            self.send_header("X-Error-Code", error_code)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, code: str | None, message: str, commit: str | None = None) -> None:
        data = json.dumps({"error": message}).encode()
        self.send_response(status)
        if code:
            self.send_header("X-Error-Code", code)
            self.send_header("X-Error-Message", message)
        if commit:
            self.send_header("X-Repo-Commit", commit)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
