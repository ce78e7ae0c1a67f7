"""The render server: `broadsheet serve`, and `render --server` handing it specs."""

from __future__ import annotations

import json
import os
import re
import select
import signal
import socket
import subprocess
import sys

import pytest

from layout.errors import BroadsheetError
from layout.app.server import _listen

from .conftest import ROOT, write

pytestmark = pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="Unix sockets only")


def cli(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "layout.cli", *args], capture_output=True,
                          text=True, cwd=ROOT, check=False, **kwargs)


_SERVERS: dict = {}


@pytest.fixture
def server(tmp_path):
    """A server with two workers at a fresh socket; stopped (SIGTERM) afterwards."""
    path = tmp_path / "desk.sock"
    process = subprocess.Popen([sys.executable, "-m", "layout.cli", "serve", "--socket",
                                str(path), "--jobs", "2"], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    # "serving renders at …" is printed once its workers are started.
    if not select.select([process.stdout], [], [], 60)[0]:
        process.kill()
        pytest.fail("the server did not start within 60 s")
    ready = process.stdout.readline()
    assert ready.startswith("serving renders at"), process.stderr.read()
    _SERVERS[path] = process
    yield path
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) is not None   # generous: under coverage, on a busy machine
    assert not path.exists()                      # its socket is removed on the way out


def server_pid(socket_path) -> int:
    return _SERVERS[socket_path].pid


def test_a_render_on_the_server_is_the_render_made_here(server, spec_dir, tmp_path):
    local, remote = tmp_path / "local.pdf", tmp_path / "remote.pdf"
    assert cli("render", str(spec_dir / "spec.yaml"), "-o", str(local)).returncode == 0
    result = cli("render", "--server", str(server), str(spec_dir / "spec.yaml"),
                 "-o", str(remote), "--report", str(tmp_path / "remote.json"))
    assert result.returncode == 0, result.stderr
    assert remote.read_bytes() == local.read_bytes()
    assert json.loads((tmp_path / "remote.json").read_text(encoding="utf-8"))["stories"]
    # The server's address can come from the environment too; several specs at once.
    second = write(tmp_path / "two" / "second.yaml", (spec_dir / "spec.yaml").read_text(
        encoding="utf-8").replace("copy/a.txt", str(spec_dir / "copy" / "a.txt")))
    result = cli("render", str(spec_dir / "spec.yaml"), str(second), "-o",
                 str(tmp_path / "many"), "--jobs", "2",
                 env={**os.environ, "BROADSHEET_SERVER": str(server)})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "many" / "spec.pdf").read_bytes() == local.read_bytes()
    assert (tmp_path / "many" / "second.pdf").stat().st_size > 0


def test_a_bad_spec_on_the_server_is_reported_as_here(server, tmp_path):
    bad = write(tmp_path / "bad.yaml", "paper: {name: 测试}\nedition: {date: 2026-13-45}\n"
                                       "pages: []\n")
    result = cli("render", "--server", str(server), str(bad), "-o", str(tmp_path / "bad.pdf"))
    assert result.returncode == 2
    assert "bad.yaml:2" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "bad.pdf").exists()


def test_a_server_running_other_code_is_refused(server):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.connect(str(server))
        connection.sendall(json.dumps({"code": "an older broadsheet", "jobs": []}).encode()
                           + b"\n")
        answer = json.loads(connection.makefile("rb").readline())
    assert "restart it" in answer["error"]


def test_no_server_at_the_socket_is_one_clear_error(tmp_path, spec_dir):
    result = cli("render", "--server", str(tmp_path / "nobody.sock"),
                 str(spec_dir / "spec.yaml"), "-o", str(tmp_path / "x.pdf"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "no broadsheet server at" in result.stderr
    assert "broadsheet serve" in result.stderr


def test_a_socket_left_by_a_dead_server_is_replaced_and_a_live_one_refused(tmp_path):
    path = tmp_path / "s.sock"
    left = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    left.bind(str(path))
    left.close()                                  # the file stays, nobody listens
    listener = _listen(path)
    try:
        assert oct(path.stat().st_mode & 0o077) == "0o0"      # this user's only
        with pytest.raises(BroadsheetError, match="already running"):
            _listen(path)
    finally:
        listener.close()


def test_a_worker_killed_between_renders_is_replaced(server, spec_dir, tmp_path):
    children = f"/proc/{server_pid(server)}/task/{server_pid(server)}/children"
    if not os.path.exists(children):
        pytest.skip("needs /proc")
    with open(children) as listing:
        workers = [int(pid) for pid in listing.read().split()]
    assert len(workers) == 2
    os.kill(workers[0], signal.SIGKILL)              # as the out-of-memory killer would
    result = cli("render", "--server", str(server), str(spec_dir / "spec.yaml"),
                 "-o", str(tmp_path / "after.pdf"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "after.pdf").stat().st_size > 0


def test_a_server_of_another_user_is_not_trusted(monkeypatch, tmp_path):
    """The peer's credentials come from the kernel: the same user passes, any other
    is refused (simulated by this process claiming another uid)."""
    import os
    import socket as sockets

    from layout.app import server as module
    from layout.errors import BroadsheetError
    left, right = sockets.socketpair(sockets.AF_UNIX, sockets.SOCK_STREAM)
    with left, right:
        module.verify_peer(left, tmp_path / "s.sock")          # our own: no complaint
        real = os.getuid()
        monkeypatch.setattr(module.os, "getuid", lambda: real + 1)
        with pytest.raises(BroadsheetError, match="belongs to another user"):
            module.verify_peer(left, tmp_path / "s.sock")


def test_serve_never_replaces_a_file_that_is_not_a_socket(tmp_path):
    victim = tmp_path / "notes.txt"
    victim.write_text("keep me", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "layout.cli", "serve", "--socket",
                             str(victim)], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 2 and "is not a socket" in result.stderr
    assert victim.read_text(encoding="utf-8") == "keep me"


def test_the_default_socket_lives_in_a_private_folder(monkeypatch, tmp_path):
    import stat

    from layout.app.server import default_socket
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    path = default_socket()
    assert path.parent == tmp_path / "broadsheet"
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_a_killed_servers_workers_do_not_outlive_it(tmp_path):
    import time
    path = tmp_path / "desk.sock"
    process = subprocess.Popen([sys.executable, "-m", "layout.cli", "serve", "--socket",
                                str(path), "--jobs", "2"], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        assert select.select([process.stdout], [], [], 60)[0]
        assert process.stdout.readline().startswith("serving renders at")
        children = f"/proc/{process.pid}/task/{process.pid}/children"
        if not os.path.exists(children):
            pytest.skip("needs /proc")
        with open(children) as listing:
            workers = [int(pid) for pid in listing.read().split()]
        # The pool's children: its workers (and, by Python version, its manager).
        assert workers
    finally:
        process.kill()                                  # SIGKILL: no chance to clean up
        process.wait(timeout=10)

    def alive(pid: int) -> bool:
        try:
            with open(f"/proc/{pid}/stat") as stat_file:
                return stat_file.read().split(")")[-1].split()[0] != "Z"
        except FileNotFoundError:
            return False
    deadline = time.monotonic() + 30     # they exit on SIGTERM (cleaning up), not at once
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in workers)


MALFORMED = [
    b"not json\n",
    b"[]\n",
    b"42\n",
    b'{"code": null}\n',
    b"\xff\xfe\x00garbage\n",
    b'{"code": "C", "jobs": "abc"}\n',
    b'{"code": "C", "jobs": [17]}\n',
    b'{"code": "C", "jobs": [{"spec": 1, "output": "x.pdf"}]}\n',
    b'{"code": "C", "jobs": [{"spec": "a\\u0000b", "output": "x.pdf"}]}\n',
    b'{"code": "C", "jobs": [{"spec": "s.yaml", "output": "x.pdf", "pages": [1e999]}]}\n',
    b'{"code": "C", "jobs": [], "at_once": 1e999}\n',
    b'{"code": "C", "jobs": [], "at_once": "many"}\n',
    b"[" * 100000 + b"\n",
    b"x" * (5 * 2**20) + b"\n",
]


def test_malformed_requests_get_an_error_and_the_server_goes_on(server, spec_dir, tmp_path):
    """Each malformed request (not JSON, wrong shapes and types, NUL in a path,
    nesting 100,000 deep, a 5 MiB line) is answered with an error line; the
    server stays up and renders the next real request as before."""
    from layout.app.server import code_fingerprint
    code = code_fingerprint()
    for request in MALFORMED:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(30)
            connection.connect(str(server))
            try:
                connection.sendall(request.replace(b'"C"', json.dumps(code).encode()))
            except (BrokenPipeError, ConnectionResetError):
                pass                        # answered and closed before all was sent
            answer = connection.makefile("rb").readline()
        assert answer, request[:60]
        message = json.loads(answer)
        assert "error" in message or message.get("outcomes") == [], (request[:60], message)
    assert _SERVERS[server].poll() is None
    result = cli("render", "--server", str(server), str(spec_dir / "spec.yaml"),
                 "-o", str(tmp_path / "after.pdf"))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in _stderr_so_far(_SERVERS[server])


def _stderr_so_far(process) -> str:
    out = b""
    while select.select([process.stderr], [], [], 0)[0]:
        chunk = os.read(process.stderr.fileno(), 65536)
        if not chunk:
            break
        out += chunk
    return out.decode(errors="replace")


def test_the_server_prints_paths_as_a_local_render_does(server, spec_dir, tmp_path):
    """Relative paths in, relative paths out: the server is sent absolute ones, the
    desk reads what it typed — in the summary and in an error's place."""
    write(spec_dir / "bad.yaml", "paper: {name: 测试}\nedition: {date: 2026-13-45}\npages: []\n")

    def run(*args):
        return subprocess.run([sys.executable, "-m", "layout.cli", "render", *args, "-o",
                               "out/", "--force"], capture_output=True, text=True,
                              cwd=spec_dir, check=False)

    def untimed(text):
        return re.sub(r"\d+\.\d\d s", "", text)
    for name in ("spec.yaml", "bad.yaml"):
        here, there = run(name), run("--server", str(server), name)
        assert there.returncode == here.returncode
        assert untimed(there.stdout) == untimed(here.stdout)
        assert there.stderr == here.stderr
        assert str(spec_dir) not in there.stdout + there.stderr
