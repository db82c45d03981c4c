"""The dashboards server (`make run`, leaderkit.app.serve): the Host check against DNS rebinding, LAN serving
with a token, and stopping on SIGTERM / Ctrl-C / a killed server with no Voilà or kernel left behind.

The servers are real (`python -m leaderkit.app.serve` on a free loopback port, as tests/browser does); their
output goes to tests/artifacts/serve-<name>.log. Requests are sent with http.client so that the Host header
is the test's to choose.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine

from leaderkit.app import serve

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
PAGE = "/voila/render/expert_panel.ipynb"
WEBSOCKET = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
             "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`python -m leaderkit.app.serve` (or `make run`) on a free port, in a session of its own as a terminal's
    foreground job would be; `up()` waits for the banner it prints once Voilà answers."""

    def __init__(self, name: str, *args: str, make: bool = False):
        self.port = free_port()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.log_path = ARTIFACTS / f"serve-{name}.log"
        self.log = open(self.log_path, "w")
        cmd = (["make", "--no-print-directory", "-o", ".venv/.installed-stamp", "run", f"PORT={self.port}"] if make
               else [sys.executable, "-m", "leaderkit.app.serve", "--port", str(self.port), *args])
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self.seen: dict[int, str] = {}

    def processes(self) -> dict[int, str]:
        """The server process and the processes it started (Voilà, kernels), each with its start time (a pid
        can be reused), remembered for `stop`."""
        for pid in {self.proc.pid, *descendants(self.proc.pid)}:
            self.seen.setdefault(pid, started_at(pid))
        return dict(self.seen)

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def up(self, timeout: float = 180) -> Server:
        deadline = time.monotonic() + timeout
        while "dashboards are up" not in self.output():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the server did not come up; see {self.log_path}")
            time.sleep(0.3)
        return self

    def request(self, path: str, host: str | None = None, headers: dict | None = None, method: str = "GET",
                body: bytes | None = None):
        """(status, headers, body) of one request with the Host header `host` (default 127.0.0.1:PORT)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", host or f"127.0.0.1:{self.port}")
        for key, value in {**(headers or {}), **({"Content-Length": str(len(body))} if body is not None else {})}.items():
            conn.putheader(key, value)
        conn.endheaders(body)
        response = conn.getresponse()
        body = b"" if response.status == 101 else response.read()
        conn.close()
        return response.status, response, body

    def stop(self) -> None:
        """Stop the server; what it started and left running is killed, so a failing test leaves nothing."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        for pid in running(self.seen):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.log.close()


def descendants(pid: int) -> set[int]:
    """The processes started by `pid`, its children's children included (psutil when installed, else /proc)."""
    try:
        import psutil
    except ImportError:
        parents = {}
        for d in Path("/proc").iterdir():
            try:
                parents[int(d.name)] = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (ValueError, OSError):
                continue
        found, todo = set(), [pid]
        while todo:
            kids = {p for p, parent in parents.items() if parent == todo.pop()}
            todo += kids - found
            found |= kids
        return found
    try:
        return {p.pid for p in psutil.Process(pid).children(recursive=True)}
    except psutil.NoSuchProcess:
        return set()


def started_at(pid: int) -> str | None:
    """When process `pid` started (clock ticks since boot); None when it has ended (a zombie has ended)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] == "Z" else fields[19]


def running(processes: dict[int, str]) -> set[int]:
    """Those of `processes` (pid → start time) still running."""
    return {pid for pid, start in processes.items() if start is not None and started_at(pid) == start}


def command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def with_busy_kernel(server: Server) -> dict[int, str]:
    """Open a dashboard in the background (Voilà starts a kernel and runs the notebook in it) and return
    the server's processes once the kernel runs."""

    def load():
        try:
            server.request(PAGE)
        except (OSError, http.client.HTTPException):
            pass

    threading.Thread(target=load, daemon=True).start()
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        pids = server.processes()
        if any("ipykernel" in command(p) for p in pids):
            return pids
        time.sleep(0.2)
    raise AssertionError(f"no kernel started; see {server.log_path}")


def wait_gone(processes: dict[int, str], timeout: float = 30) -> dict[int, str]:
    """Wait until none of `processes` runs; the command lines of those still running after `timeout` s."""
    deadline = time.monotonic() + timeout
    while running(processes) and time.monotonic() < deadline:
        time.sleep(0.2)
    return {p: command(p) for p in running(processes)}


# ---- the guard, unit by unit -------------------------------------------------------------------------------


def request_with(host: str, uri: str = "/", **headers) -> HTTPServerRequest:
    return HTTPServerRequest(start_line=RequestStartLine("GET", uri, "HTTP/1.1"),
                             headers=HTTPHeaders({"Host": host, **headers}))


@pytest.mark.parametrize(("host", "refused"), [
    ("127.0.0.1:8866", False), ("localhost:8866", False), ("LOCALHOST", False), ("[::1]:8866", False),
    ("evil.example", True), ("evil.example:8866", True), ("127.0.0.1.nip.io:8866", True),
    ("localhost.evil.example", True), ("192.168.1.20:8866", True), ("0.0.0.0:8866", True),
])
def test_only_local_host_names_pass_by_default(host, refused):
    foreign = serve.ForeignHost(serve.LOCAL_HOSTS)
    assert (foreign.match(request_with(host)) is not None) is refused


@pytest.mark.parametrize(("name", "normal"), [
    ("Dash.Example.LAN", "dash.example.lan"), ("192.168.1.20", "192.168.1.20"), ("fe80::1", "[fe80::1]"),
    ("[FE80::1]", "[fe80::1]"), ("my_host", "my_host"),
])
def test_allowed_host_names_are_written_as_a_host_header_gives_them(name, normal):
    assert serve.host_name(name) == normal
    assert serve.ForeignHost([normal]).match(request_with(f"{normal}:8866")) is None


@pytest.mark.parametrize("name", ["http://dash.lan", "dash.lan:8866", "dash.lan/", "", "a b"])
def test_an_allowed_host_with_a_port_or_scheme_is_an_error(name):
    with pytest.raises(serve.ServeError) as err:
        serve.host_name(name)
    assert "--allow-host" in str(err.value) and "不是主机名" in str(err.value)


def test_the_token_is_taken_from_the_query_a_header_or_the_cookie_and_nothing_else():
    cookie = serve.token_cookie(8866)
    assert serve.carries_token(request_with("h", "/?token=s3cret"), "s3cret", cookie)
    assert serve.carries_token(request_with("h", Authorization="token s3cret"), "s3cret", cookie)
    assert serve.carries_token(request_with("h", Cookie=f"{cookie}=s3cret"), "s3cret", cookie)
    assert not serve.carries_token(request_with("h", "/?token=s3cre"), "s3cret", cookie)
    assert not serve.carries_token(request_with("h", Authorization="Bearer s3cret"), "s3cret", cookie)
    assert not serve.carries_token(request_with("h", Cookie=f"{serve.token_cookie(8877)}=s3cret"), "s3cret", cookie)
    assert not serve.carries_token(request_with("h"), "s3cret", cookie)


def plan(*argv):
    return serve.serving_plan(serve.parser().parse_args(list(argv)))


def test_lan_serving_is_explicit():
    local = plan()
    assert (local.listen, local.hosts, local.token) == ("127.0.0.1", serve.LOCAL_HOSTS, "")
    lan = plan("--lan", "--allow-host", "Dash.LAN", "--allow-host", "192.168.1.20")
    assert lan.listen == "0.0.0.0" and lan.shown == "dash.lan"
    assert lan.hosts == (*serve.LOCAL_HOSTS, "dash.lan", "192.168.1.20")
    assert len(lan.token) >= 32 and lan.token != plan("--lan", "--allow-host", "x").token
    assert plan("--lan", "--allow-host", "x", "--token", "chosen").token == "chosen"
    assert plan("--allow-host", "proxy.local").token == ""


@pytest.mark.parametrize(("argv", "words"), [
    (["--host", "0.0.0.0"], "--lan"), (["--host", "192.168.1.20"], "--lan"),
    (["--lan"], "--allow-host"), (["--token", "x"], "--lan"),
])
def test_serving_beyond_this_machine_without_lan_is_refused(argv, words, capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        assert serve.main([*argv, "--port", str(busy.getsockname()[1])]) == 2
    err = capsys.readouterr().err
    assert "错误 / error" in err and words in err and "in use" not in err


def test_the_voila_process_carries_the_guard_and_keeps_its_port():
    cmd = serve.voila_command("127.0.0.1", 8866, ("localhost", "dash.lan"))
    assert cmd[1:3] == ["-c", "from leaderkit.app.serve import run_voila; run_voila()"]
    assert "--Voila.port_retries=0" in cmd
    assert [a for a in cmd if "allowed_hosts" in a] == ["--LeaderkitVoila.allowed_hosts=localhost",
                                                        "--LeaderkitVoila.allowed_hosts=dash.lan"]
    assert not any("token" in a.lower() for a in cmd)


def test_kernels_of_closed_pages_are_freed_within_two_minutes_and_unused_extensions_are_not_loaded():
    cmd = serve.voila_command("127.0.0.1", 8866)
    value = {a.split("=", 1)[0]: a.split("=", 1)[1] for a in cmd if a.startswith("--MappingKernelManager.")}
    # a kernel whose page went away without closing (a browser killed, a network lost) is culled
    assert value["--MappingKernelManager.cull_connected"] == "False"
    assert int(value["--MappingKernelManager.cull_idle_timeout"]) + int(value["--MappingKernelManager.cull_interval"]) <= 120
    assert [a.split("=", 1)[1] for a in cmd if "extension_denylist" in a] == ["jupyterlab-plotly", "jupyterlab_pygments"]


# ---- real servers ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def started():
    """One server as `make run` starts it and one in LAN mode (on loopback, accepting the name dash.test),
    started together; each test waits only for the one it uses."""
    servers = SimpleNamespace(local=Server("local"), lan=Server("lan", "--host", "127.0.0.1", "--lan",
                                                                   "--allow-host", "dash.test"))
    yield servers
    servers.local.stop()
    servers.lan.stop()


@pytest.fixture(scope="module")
def local(started):
    return started.local.up()


@pytest.fixture(scope="module")
def lan(started):
    return started.lan.up()


@pytest.fixture(scope="module")
def kernel_id(local):
    """The kernel of one dashboard opened on the local server (its id is in the page)."""
    status, _, body = local.request(PAGE)
    assert status == 200
    return re.search(rb'"kernelId": "([0-9a-f-]{36})"', body).group(1).decode()


@pytest.mark.slow
def test_local_names_are_served(local):
    port = local.port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", "127.0.0.1"):
        assert local.request("/", host)[0] == 200, host
        status, _, body = local.request("/voila/api/contents/", host)
        assert status == 200 and b'"name": "expert_panel.ipynb"' in body, host


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/", PAGE, "/voila/tree", "/voila/api/contents/", "/voila/static/voila.js",
                                  "/voila/files/static/plotly.min.js", "/api/kernels/0-0-0-0-0", "/no/such/page"])
def test_a_foreign_host_name_gets_403_on_every_route(local, path):
    before = descendants(local.proc.pid)
    status, response, body = local.request(path, "evil.example")
    assert status == 403
    assert response.getheader("Content-Type") == "text/plain; charset=utf-8"
    assert body.decode() == f"403 禁止访问 / Forbidden\n{serve.HOST_REFUSED.zh}\n{serve.HOST_REFUSED.en}\n"
    assert local.request(path, f"evil.example:{local.port}")[0] == 403
    assert descendants(local.proc.pid) == before  # no kernel started for the page


@pytest.mark.slow
def test_the_kernel_websocket_refuses_a_foreign_host(local, kernel_id):
    path = f"/api/kernels/{kernel_id}/channels"
    port = local.port
    assert local.request(f"/api/kernels/{kernel_id}")[0] == 200
    assert local.request(f"/api/kernels/{kernel_id}", f"evil.example:{port}")[0] == 403
    page_origin = {**WEBSOCKET, "Origin": f"http://127.0.0.1:{port}"}
    assert local.request(path, headers=page_origin)[0] == 101
    rebound = {**WEBSOCKET, "Origin": f"http://evil.example:{port}"}
    assert local.request(path, f"evil.example:{port}", rebound)[0] == 403


@pytest.mark.slow
def test_lan_mode_needs_the_printed_token(lan):
    token = re.search(r"http://dash\.test:\d+/voila/render/leadership\.ipynb\?token=(\S+)", lan.output()).group(1)
    host = f"dash.test:{lan.port}"
    for path in ("/", PAGE, "/voila/static/voila.js", f"/voila/tree?token={token[:-1]}"):
        status, _, body = lan.request(path, host)
        assert status == 403, path
        assert serve.TOKEN_REFUSED.en in body.decode()
    assert lan.request("/", host, {"Authorization": "token wrong"})[0] == 403
    assert lan.request("/", f"127.0.0.1:{lan.port}")[0] == 403
    assert lan.request("/", f"evil.example:{lan.port}", {"Authorization": f"token {token}"})[0] == 403
    assert lan.request("/", host, {"Authorization": f"token {token}"})[0] == 200
    assert lan.request("/voila/static/voila.js", host, {"Authorization": f"token {token}"})[0] == 200


@pytest.mark.slow
def test_a_lan_link_leaves_a_cookie_that_the_page_and_its_kernel_websocket_use(lan):
    token = re.search(r"\?token=(\S+)", lan.output()).group(1)
    host = f"dash.test:{lan.port}"
    status, response, _ = lan.request(f"{PAGE}?token={token}&lang=en", host)
    assert status == 302 and response.getheader("Location") == f"{PAGE}?lang=en"
    cookie = response.getheader("Set-Cookie")
    assert cookie.startswith(f"{serve.token_cookie(lan.port)}={token};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    jar = {"Cookie": cookie.split(";")[0]}
    status, _, body = lan.request(PAGE, host, jar)
    assert status == 200
    kernel = re.search(rb'"kernelId": "([0-9a-f-]{36})"', body).group(1).decode()
    channels = f"/api/kernels/{kernel}/channels"
    origin = {**WEBSOCKET, "Origin": f"http://{host}"}
    assert lan.request(channels, host, origin)[0] == 403
    assert lan.request(channels, host, {**origin, **jar})[0] == 101


@pytest.mark.slow
def test_closing_a_page_shuts_its_kernel_down_at_once(local):
    """Voilà's page posts voila/api/shutdown/<kernel> when its tab closes, with the _xsrf cookie's value; the
    page now sets that cookie (without it the post got 403 and the kernel lived on)."""
    status, response, body = local.request(PAGE)
    assert status == 200
    kernel = re.search(rb'"kernelId": "([0-9a-f-]{36})"', body).group(1).decode()
    cookies = [c.split(";")[0] for c in response.headers.get_all("Set-Cookie") or []]
    xsrf = next(c for c in cookies if c.startswith("_xsrf=")).split("=", 1)[1]
    pid = {p: c for p, c in local.processes().items() if kernel in command(p)}
    assert len(pid) == 1
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    url = f"/voila/api/shutdown/{kernel}"
    body = f"_xsrf={xsrf}".encode()
    assert local.request(url, headers=form, method="POST", body=body)[0] == 403  # no cookie: refused
    assert running(pid)
    assert local.request(url, headers={**form, "Cookie": f"_xsrf={xsrf}"}, method="POST", body=body)[0] == 204
    assert wait_gone(pid, timeout=15) == {}


# ---- stopping ----------------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_sigterm_to_make_run_stops_the_server_voila_and_its_kernels():
    server = Server("make-sigterm", make=True).up()
    try:
        pids = with_busy_kernel(server)
        os.kill(server.proc.pid, signal.SIGTERM)  # make only, as a service manager or a container does
        assert wait_gone(pids) == {}
    finally:
        server.stop()


@pytest.mark.slow
def test_ctrl_c_stops_everything_once_and_quietly():
    server = Server("ctrl-c").up()
    try:
        assert server.request(PAGE)[0] == 200  # a dashboard is open: its kernel runs
        pids = server.processes()
        assert any("ipykernel" in command(p) for p in pids)
        before = len(server.output())
        os.killpg(server.proc.pid, signal.SIGINT)  # what a terminal sends its foreground job
        assert wait_gone(pids) == {}
        assert server.proc.wait(timeout=5) == 0
        # quiet from the Ctrl-C on (a kernel's start may print a heartbeat port race of ipykernel's before it)
        out = server.output()[before:]
        assert "Kernel shutdown:" in out and "已停止 / stopped" in out and "Traceback" not in out
    finally:
        server.stop()


@pytest.mark.slow
def test_a_killed_server_takes_voila_and_its_kernels_with_it():
    server = Server("killed").up()
    try:
        pids = with_busy_kernel(server)
        server.proc.kill()
        assert wait_gone(pids) == {}
    finally:
        server.stop()
