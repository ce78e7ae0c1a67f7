"""A render server for a desk: worker processes that stay started between renders.

Every `broadsheet render` process first spends about 0.12 s starting Python and
importing the render path (click, PyYAML, msgspec, ReportLab, Pillow) before
its first page, as long as two renders of an 8-page edition take.  `broadsheet
serve` pays that once: it imports, forks its workers and waits on a Unix
socket; `broadsheet render --server SOCKET` (or $BROADSHEET_SERVER) hands its
specs to them and prints what a local render prints, with the same exit code.
The PDFs are the same bytes a local render writes.

The protocol is one JSON object a line.  The client sends
    {"code": <fingerprint>, "jobs": [{spec, output, report, force, root}, …],
     "at_once": n}
with absolute paths; the server answers {"progress": [spec, page]} lines as
pages are painted, then {"outcomes": […]} (or {"error": "…"}).  A server
running other code than the client (an upgrade since it started) is refused
by the client rather than trusted to render the same.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import socket
import stat
import struct
import threading
from dataclasses import replace
from pathlib import Path

from ..errors import BroadsheetError
from ..findings import Finding
from ..files import cache_dir
from .batch import Job, Outcome, crashed, init_worker, run_job, settle_imports

_ENCODING = "utf-8"


def code_fingerprint() -> str:
    """The package's own source: a server must render with the code the client has."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(here.rglob("*.py")):
        digest.update(str(path.relative_to(here)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


# ---------------------------------------------------------------- client

def remote_runner(socket_path: Path):
    """A `run_jobs` that renders on the server at `socket_path`."""
    def run(jobs: list[Job], workers: int, on_progress=None) -> list[Outcome]:
        request = {"code": code_fingerprint(), "at_once": workers,
                   "jobs": [_job_to_json(job) for job in jobs]}
        connection = _connect(socket_path)
        with connection, connection.makefile("rwb") as stream:
            stream.write(json.dumps(request, ensure_ascii=False).encode(_ENCODING) + b"\n")
            stream.flush()
            for raw in stream:
                message = json.loads(raw)
                if "progress" in message:
                    if on_progress:
                        on_progress(*message["progress"])
                elif "outcomes" in message:
                    here = str(Path.cwd().absolute()) + os.sep
                    return [_outcome_from_json(_as_given(o, here)) for o in message["outcomes"]]
                elif "error" in message:
                    raise BroadsheetError(f"the server at {socket_path}: {message['error']}")
        raise BroadsheetError(f"the server at {socket_path} closed the connection mid-render")
    return run


def default_socket() -> Path:
    """The desk's socket, in a folder only this user may enter: the runtime folder
    ($XDG_RUNTIME_DIR), else the cache — never a world-writable one such as /tmp,
    where another user could put a server of theirs in its place."""
    base = Path(os.environ.get("XDG_RUNTIME_DIR") or cache_dir())
    folder = base / "broadsheet"
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    return folder / "desk.sock"


def _connect(socket_path: Path) -> socket.socket:
    if not hasattr(socket, "AF_UNIX"):
        raise BroadsheetError("render --server needs Unix sockets, which this system lacks")
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(str(socket_path))
    except OSError as exc:
        connection.close()
        raise BroadsheetError(f"no broadsheet server at {socket_path} ({exc.strerror or exc}); "
                              f"start one with `broadsheet serve --socket {socket_path}`") from None
    try:
        verify_peer(connection, socket_path)
    except BroadsheetError:
        connection.close()
        raise
    return connection


def verify_peer(connection: socket.socket, socket_path: Path) -> None:
    """The process at the other end is this user's (its credentials, from the
    kernel): a server someone else put at the path gets no job and no trust."""
    peer_uid = _peer_uid(connection)
    if peer_uid is not None and peer_uid != os.getuid():
        raise BroadsheetError(f"the server at {socket_path} belongs to another user (uid "
                              f"{peer_uid}): not trusted with this render")


def _peer_uid(connection: socket.socket) -> int | None:
    """The peer's user id: SO_PEERCRED on Linux, getpeereid elsewhere (None where
    the system says neither; the socket's folder is then all the protection)."""
    if hasattr(socket, "SO_PEERCRED"):
        pid, uid, gid = struct.unpack("3i", connection.getsockopt(
            socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")))
        return uid
    getpeereid = getattr(connection, "getpeereid", None)
    return getpeereid()[0] if getpeereid else None


def _as_given(data, here: str):
    """Paths in an outcome as the desk gave them: the server was sent absolute ones
    (it runs elsewhere), the answer drops the client's folder from them again, so
    `render --server` prints what a local render prints."""
    if isinstance(data, str):
        return data.replace(here, "")
    if isinstance(data, list):
        return [_as_given(v, here) for v in data]
    if isinstance(data, dict):
        return {k: _as_given(v, here) for k, v in data.items()}
    return data


def _job_to_json(job: Job) -> dict:
    def absolute(path):
        return None if path is None else str(Path(path).absolute())
    return {"spec": absolute(job.spec), "output": absolute(job.output),
            "report": absolute(job.report), "force": job.force, "root": absolute(job.root),
            "per_page": job.per_page, "pages": job.pages, "proof": job.proof}


def _outcome_from_json(data: dict) -> Outcome:
    return Outcome(Path(data["spec"]), Path(data["output"]), data["status"], data["pages"],
                   data["seconds"], [Finding.from_json(f) for f in data["findings"]],
                   data["error"], data["trace"], data.get("plates", []),
                   data.get("recorded", "ok"))


# ---------------------------------------------------------------- server

class Server:
    """Forked render workers behind a Unix socket; one thread per client."""

    def __init__(self, socket_path: Path, workers: int):
        import multiprocessing as mp   # 6 ms to import: the server's, not a client's

        if "fork" not in mp.get_all_start_methods() or not hasattr(socket, "AF_UNIX"):
            raise BroadsheetError("broadsheet serve needs Unix sockets and fork "
                                  "(Linux, macOS); render --jobs works everywhere")
        self.socket_path = socket_path
        self.workers = workers
        self.code = code_fingerprint()
        self._listeners: dict[str, tuple] = {}     # job token -> (send, spec)
        self._requests = itertools.count()
        self._lock = threading.Lock()
        self._listener = _listen(socket_path)      # clients wait in its backlog meanwhile
        try:
            settle_imports()       # the workers are forked with the render path imported
            self._progress = mp.get_context("fork").Queue()
            self._pool = self._new_pool()
            threading.Thread(target=self._pump, name="broadsheet-progress", daemon=True).start()
            # Start the workers now, not at the first request.
            for future in [self._pool.submit(os.getpid) for _ in range(workers)]:
                future.result()
        except BaseException:                       # interrupted while starting
            self._listener.close()
            socket_path.unlink(missing_ok=True)
            raise

    def serve_forever(self) -> None:
        try:
            while True:
                connection, _ = self._listener.accept()
                threading.Thread(target=self._serve_client, args=(connection,),
                                 daemon=True).start()
        finally:
            self.close()

    def close(self) -> None:
        """No new clients; renders under way finish, queued ones are dropped."""
        self._listener.close()
        self.socket_path.unlink(missing_ok=True)
        # wait=True: without it the workers were never told to stop, and the
        # interpreter's exit then waited for them for ever.
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _pump(self) -> None:
        while True:
            token, page = self._progress.get()
            with self._lock:
                listener = self._listeners.get(token)
            if listener is not None:
                send, spec = listener
                send({"progress": [spec, page]})

    def _serve_client(self, connection: socket.socket) -> None:
        with connection, connection.makefile("rwb") as stream:
            write_lock = threading.Lock()

            def send(message: dict) -> None:
                data = json.dumps(message, ensure_ascii=False).encode(_ENCODING) + b"\n"
                with write_lock:
                    try:
                        stream.write(data)
                        stream.flush()
                    except OSError:
                        pass        # the client went away; its jobs still finish
            try:
                request = _read_request(stream)
                if request.get("code") != self.code:
                    send({"error": "it runs other broadsheet code than this command "
                                   "(upgraded since it started?); restart it"})
                    return
                jobs = [_job(j) for j in request["jobs"]]
                outcomes = self._render(jobs, max(1, min(int(request.get("at_once") or 1),
                                                         self.workers)), send)
                send({"outcomes": [_outcome_to_json(o) for o in outcomes]})
            except (ValueError, KeyError, TypeError, AttributeError, OverflowError,
                    RecursionError) as exc:
                send({"error": f"a request it could not read ({str(exc)[:200]})"})

    def _render(self, jobs: list[Job], at_once: int, send) -> list[Outcome]:
        # The server's alone (6 ms to import), as in __init__.
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        request = next(self._requests)     # never reused: a late progress line finds no one
        tokens = [f"{request}:{k}" for k in range(len(jobs))]
        with self._lock:
            for token, job in zip(tokens, jobs):
                self._listeners[token] = (send, str(job.spec))
        outcomes: dict[int, Outcome] = {}
        running: dict = {}
        retried: set[int] = set()
        try:
            waiting = list(enumerate(jobs))
            while waiting or running:
                while waiting and len(running) < at_once:
                    k, job = waiting.pop(0)
                    running[self._submit(replace(job, token=tokens[k]))] = k
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    k = running.pop(future)
                    try:
                        outcomes[k] = future.result()
                    except BrokenProcessPool:
                        # A worker died under this job or a neighbour (killed, out of
                        # memory): the whole pool is lost.  A render is safe to repeat
                        # (outputs are written atomically), so once, on a new pool.
                        if k in retried:
                            outcomes[k] = crashed(jobs[k], "its worker died twice")
                        else:
                            retried.add(k)
                            running[self._submit(replace(jobs[k], token=tokens[k]))] = k
                    except Exception as exc:        # a crashed worker fails only its spec
                        outcomes[k] = crashed(jobs[k], repr(exc))
        finally:
            with self._lock:
                for token in tokens:
                    self._listeners.pop(token, None)
        return [outcomes[k] for k in range(len(jobs))]

    def _submit(self, job: Job):
        from concurrent.futures.process import BrokenProcessPool   # 6 ms, as in __init__
        pool = self._pool
        try:
            return pool.submit(run_job, job)
        except BrokenProcessPool:      # a worker died (killed, out of memory): start anew
            with self._lock:
                if self._pool is pool:         # unless another client already has
                    pool.shutdown(wait=False, cancel_futures=True)
                    self._pool = self._new_pool()
                pool = self._pool
            return pool.submit(run_job, job)

    def _new_pool(self):
        import multiprocessing as mp        # 6 ms each, as in __init__
        from concurrent.futures import ProcessPoolExecutor
        return ProcessPoolExecutor(self.workers, mp_context=mp.get_context("fork"),
                                   initializer=init_worker, initargs=(self._progress, True))


def _outcome_to_json(outcome: Outcome) -> dict:
    data = {name: getattr(outcome, name) for name in outcome.__dataclass_fields__}
    data["spec"], data["output"] = str(outcome.spec), str(outcome.output)
    data["findings"] = [f.to_json() for f in outcome.findings]
    return data


def _listen(socket_path: Path) -> socket.socket:
    """Bind the socket, readable and writable by this user only; a socket file left
    by a server that is gone is replaced, a live one refused."""
    if socket_path.exists() or socket_path.is_symlink():
        if not stat.S_ISSOCK(socket_path.lstat().st_mode):
            raise BroadsheetError(f"{socket_path} exists and is not a socket: not replaced")
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.connect(str(socket_path))
        except OSError:
            socket_path.unlink()            # left behind by a server that died
        else:
            raise BroadsheetError(f"a broadsheet server is already running at {socket_path}")
        finally:
            probe.close()
    socket_path.parent.mkdir(parents=True, exist_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o077)
    try:
        listener.bind(str(socket_path))
    except OSError as exc:
        listener.close()
        raise BroadsheetError(f"cannot listen at {socket_path}: {exc.strerror or exc}") from None
    finally:
        os.umask(old_umask)
    listener.listen(16)
    return listener


MAX_REQUEST_BYTES = 4 * 2**20     # thousands of jobs; a client sending more is not ours


def _read_request(stream) -> dict:
    """One request line: a JSON object, at most MAX_REQUEST_BYTES."""
    line = stream.readline(MAX_REQUEST_BYTES + 1)
    if len(line) > MAX_REQUEST_BYTES:
        raise ValueError(f"longer than {MAX_REQUEST_BYTES // 2**20} MiB")
    request = json.loads(line)
    if not isinstance(request, dict) or not isinstance(request.get("jobs"), list):
        raise ValueError("not an object with a list of jobs")
    return request


def _job(data) -> Job:
    """A job as a client sent it: paths as strings, flags as booleans."""
    def path(key: str, optional: bool = False) -> Path | None:
        value = data.get(key)
        if optional and value is None:
            return None
        if not isinstance(value, str) or not value or "\0" in value:
            raise ValueError(f"{key} is not a path")
        return Path(value)

    if not isinstance(data, dict):
        raise ValueError("a job is not an object")
    pages = data.get("pages")
    if pages is not None and not isinstance(pages, str):
        raise ValueError("pages is not a page list")
    return Job(path("spec"), path("output"), path("report", True), bool(data.get("force")),
               path("root", True), per_page=bool(data.get("per_page")), pages=pages,
               proof=bool(data.get("proof")))
