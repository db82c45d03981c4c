"""`make run`: serve leaderkit's dashboards with Voilà, on the loopback interface unless `--lan` is given.

Serves only `dashboards/` (Voilà's tree lists every notebook under its root), culls idle kernels
(Voilà 0.5 does not shut a kernel down when a tab closes), prints the URL of each dashboard, the
leadership one first. `LEADERKIT_DATA` (make run DATA=folder) is passed on to the kernels, which read that
folder instead of sample_data/.

Before Voilà starts: plotly.min.js is copied from the installed plotly package to `dashboards/static/`
(git-ignored), the only file Voilà is allowed to serve besides the pages, and its URL goes to the kernels
($LEADERKIT_PLOTLY_URL) so charts load it once per browser instead of through every kernel
(`leaderkit.app.charts`); and the leadership page's results are computed once into the dashboard cache
(`leaderkit.app.views.warm_cache`), so a viewer's kernel reads them instead of recomputing.

Requests (docs/SECURITY.md, "Dashboards"): Voilà 0.5 turns jupyter_server's Host check off
(`allow_remote_access=True`) and some of its routes (static files, /voila/files) never run it, so the Voilà
process (`run_voila`) puts rules of its own in front of all of Voilà's routes: a Host header that is not a
local name (localhost, 127.0.0.1, [::1]) or a name given with `--allow-host` gets 403, which defeats DNS
rebinding; with `--lan` every request must also carry the token (`?token=`, which a GET turns into a
cookie, an `Authorization: token …` header, or that cookie).

Stopping: SIGTERM, SIGINT (Ctrl-C) and SIGHUP stop Voilà, which shuts its kernels down; Voilà runs in a
session of its own so that Ctrl-C reaches it once, through this process. Voilà is killed when it has not
stopped after `STOP_SECONDS` or on a second Ctrl-C (its kernels then exit by themselves: they leave when
their parent does), and stops by itself when this process goes away.
"""

from __future__ import annotations

import argparse
import hmac
import ipaddress
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from tornado.routing import Matcher, Rule
from tornado.web import RequestHandler

from leaderkit._kit.i18n import LeaderkitError, Text
from leaderkit.app.charts import STATIC_DIR, URL_ENV, publish_plotly
from leaderkit.app.paths import PROJECT_ROOT
from leaderkit.app.upload import WEBSOCKET_MAX_BYTES

DASHBOARDS = PROJECT_ROOT / "dashboards"
PAGES = ("leadership.ipynb", "expert_panel.ipynb", "ranking_explorer.ipynb")
CULL_IDLE_SECONDS = 60
CULL_INTERVAL_SECONDS = 15
# JupyterLab extensions installed beside Voilà that the pages do not use: jupyterlab-plotly (4.7 MB, its own
# plotly.js: the pages draw with the plotly.min.js of static/) and the code highlighting theme. Voilà would
# load them into every page, about 2 s of browser CPU each.
UNUSED_EXTENSIONS = ("jupyterlab-plotly", "jupyterlab_pygments")
STATIC_ALLOWLIST = f"{STATIC_DIR}/plotly-[0-9.]+[.]min[.]js"
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")
# the LAN token reaches the Voilà process through its environment (not its command line, which every
# local user can read), and the Voilà process removes it before it starts kernels
TOKEN_ENV = "LEADERKIT_SERVE_TOKEN"
# Voilà gives each kernel 5 s to shut down (jupyter_client's shutdown_wait_time), all at once
STOP_SECONDS = 15
HOST_NAME = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*")
HOST_REFUSED = Text("此地址不能访问仪表板：只接受本机地址（localhost、127.0.0.1、[::1]）和启动时用 --allow-host "
                    "允许的名称。",
                    "This address may not reach the dashboards: only local names (localhost, 127.0.0.1, [::1]) "
                    "and names allowed with --allow-host are accepted.")
TOKEN_REFUSED = Text("需要访问令牌：请打开服务器启动时打印的、带 ?token= 的网址。",
                     "A token is needed: open the address with ?token= that the server printed when it started.")


class ServeError(LeaderkitError):
    """Options the dashboards cannot be served with (无法按这些选项启动仪表板)."""


# ---- the guard in front of Voilà's routes ---------------------------------------------------------------


def host_name(name: str) -> str:
    """`name` as a Host header gives it once its port is removed (lower case, an IPv6 address in brackets);
    ServeError when it is neither a host name nor an IP address (a port, a scheme or a path included)."""
    text = name.strip().lower()
    bare = text[1:-1] if text.startswith("[") and text.endswith("]") else text
    try:
        address = ipaddress.ip_address(bare)
    except ValueError:
        if HOST_NAME.fullmatch(text):
            return text
        raise ServeError(f"--allow-host {name!r} 不是主机名或 IP 地址", f"--allow-host {name!r} is not a host name "
                         "or an IP address", hint=Text("只写名称，不带 http:// 和端口，例如 --allow-host dash.lan",
                                                       "give the name alone, without http:// or a port, e.g. "
                                                       "--allow-host dash.lan")) from None
    return f"[{address.compressed}]" if address.version == 6 else address.compressed


def token_cookie(port: int) -> str:
    """The name of the cookie holding the LAN token (browsers share cookies between the ports of a host)."""
    return f"leaderkit_token_{port}"


def carries_token(request, token: str, cookie: str) -> bool:
    """Whether `request` carries `token` as ?token=, as an `Authorization: token …` header or in `cookie`."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    given = [v.decode("utf-8", "replace") for v in request.query_arguments.get("token", [])]
    given += [value.strip()] if scheme.lower() == "token" else []
    given += [request.cookies[cookie].value] if cookie in request.cookies else []
    return any(hmac.compare_digest(g.encode(), token.encode()) for g in given)


class ForeignHost(Matcher):
    """Requests whose Host header names none of `hosts` (a DNS-rebinding name, an address not allowed)."""

    def __init__(self, hosts):
        self.hosts = frozenset(hosts)

    def match(self, request):
        return None if request.host_name in self.hosts else {}


class TokenLink(Matcher):
    """Page loads (GET, not a websocket) with the right ?token=: a link the server printed."""

    def __init__(self, token: str):
        self.token = token

    def match(self, request):
        given = request.query_arguments.get("token", [])
        link = (request.method == "GET" and request.headers.get("Upgrade", "").lower() != "websocket"
                and any(hmac.compare_digest(g, self.token.encode()) for g in given))
        return {} if link else None


class NoToken(Matcher):
    """Requests that do not carry the right token (`carries_token`)."""

    def __init__(self, token: str, cookie: str):
        self.token, self.cookie = token, cookie

    def match(self, request):
        return None if carries_token(request, self.token, self.cookie) else {}


class Refusal(RequestHandler):
    """403 with a short bilingual text, whatever the method: the request goes no further."""

    def initialize(self, message: Text):
        self.message = message

    def prepare(self):
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"403 禁止访问 / Forbidden\n{self.message.zh}\n{self.message.en}\n")


class TokenLogin(RequestHandler):
    """A printed link: the token goes into a cookie (HttpOnly, SameSite=Strict) and the browser is sent to the
    same address without it, so the page's own requests carry the cookie and the token leaves the address bar."""

    def initialize(self, token: str, cookie: str):
        self.token, self.cookie = token, cookie

    def prepare(self):
        self.set_cookie(self.cookie, self.token, path="/", httponly=True, samesite="Strict")
        query = urlencode([(k, v) for k, v in parse_qsl(self.request.query, keep_blank_values=True) if k != "token"])
        self.redirect("/" + self.request.path.lstrip("/") + (f"?{query}" if query else ""))


def guard_rules(hosts, token: str, port: int) -> list[Rule]:
    """The tornado rules put in front of Voilà's routes: a Host not in `hosts` → 403; with a `token`, a printed
    link → cookie and redirect, and any request without the token → 403. A request they let through goes on
    to Voilà's own routes."""
    rules = [Rule(ForeignHost(hosts), Refusal, {"message": HOST_REFUSED})]
    if token:
        cookie = token_cookie(port)
        rules += [Rule(TokenLink(token), TokenLogin, {"token": token, "cookie": cookie}),
                  Rule(NoToken(token, cookie), Refusal, {"message": TOKEN_REFUSED})]
    return rules


def run_voila(argv: list[str] | None = None) -> None:
    """The Voilà process `main` starts (`voila_command`): Voilà with `guard_rules` in front of its routes
    (hosts from `--LeaderkitVoila.allowed_hosts`, the token from $LEADERKIT_SERVE_TOKEN), stopping when the
    process that started it goes away."""
    from tornado.ioloop import IOLoop, PeriodicCallback
    from traitlets import List, Unicode
    from voila.app import Voila
    from voila.tornado.handler import TornadoVoilaHandler

    class PageHandler(TornadoVoilaHandler):
        """Voilà's page: also sets the _xsrf cookie, which the page sends back when its tab closes
        (voila/api/shutdown/<kernel>, a POST checked against it). Without the cookie that request got 403
        and the kernel lived on until the culler came."""

        async def get(self, path=None):
            self.xsrf_token  # noqa: B018  (reading it sets the cookie)
            return await super().get(path)

    class LeaderkitVoila(Voila):
        allowed_hosts = List(Unicode(), list(LOCAL_HOSTS), config=True,
                             help="Host header names accepted (without the port); any other gets 403.")
        lan_token = Unicode("", help="The token every request must carry; none when empty.")

        def init_handlers(self):
            pages = [(h[0], PageHandler, *h[2:]) if isinstance(h, tuple) and h[1] is TornadoVoilaHandler else h
                     for h in super().init_handlers()]
            return [*guard_rules(self.allowed_hosts, self.lan_token, self.port), *pages]

        def init_settings(self):
            # the upload limit and the websocket's agree: a file the page accepts always reaches the kernel
            return {**super().init_settings(), "websocket_max_message_size": WEBSOCKET_MAX_BYTES}

        def start(self):
            parent = os.getppid()

            def stop_without_parent():
                if os.getppid() != parent:
                    self.log.info("The process that started Voilà has gone: stopping.")
                    IOLoop.current().stop()

            PeriodicCallback(stop_without_parent, 1000).start()
            super().start()

    LeaderkitVoila.launch_instance(argv, lan_token=os.environ.pop(TOKEN_ENV, ""))


# ---- the server process -----------------------------------------------------------------------------------


def voila_command(host: str, port: int, allowed_hosts=LOCAL_HOSTS) -> list[str]:
    """The command line of the Voilà process (`run_voila`) serving dashboards/ on host:port to requests whose
    Host is one of `allowed_hosts`, with idle-kernel culling; of the files under dashboards/ only
    plotly.min.js in static/ is served besides the pages. The port is taken as given or not at all."""
    return [sys.executable, "-c", "from leaderkit.app.serve import run_voila; run_voila()", str(DASHBOARDS),
            f"--port={port}", "--Voila.port_retries=0", f"--Voila.ip={host}", "--no-browser",
            f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
            f"--MappingKernelManager.cull_interval={CULL_INTERVAL_SECONDS}",
            "--MappingKernelManager.cull_connected=False",
            *(f"--VoilaConfiguration.extension_denylist={name}" for name in UNUSED_EXTENSIONS),
            f"--VoilaConfiguration.file_allowlist={STATIC_ALLOWLIST}",
            *(f"--LeaderkitVoila.allowed_hosts={h}" for h in allowed_hosts)]


def voila_env() -> dict[str, str]:
    """The environment for Voilà and its kernels: publishes plotly.min.js and gives its URL."""
    import plotly

    path = publish_plotly(DASHBOARDS)
    return {**os.environ, URL_ENV: f"/voila/files/{STATIC_DIR}/{path.name}?v={plotly.__version__}"}


def warm_cache(env: dict[str, str] | None = None) -> bool:
    """Compute the dashboard cache for the data folder in a separate process (its memory is not kept by the
    server); False, with a note, when that fails: the pages then compute (and show the error) themselves."""
    done = subprocess.run([sys.executable, "-c", "from leaderkit.app.views import warm_cache; warm_cache()"],
                          cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [""])[-1]
        print(f"仪表板缓存未能预先计算，页面将自行计算 / the dashboard cache could not be warmed, pages compute "
              f"themselves: {last}", file=sys.stderr)
    return done.returncode == 0


def url_host(host: str) -> str:
    """`host` as written in a URL (an IPv6 address in brackets)."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def page_urls(base: str, token: str = "") -> list[str]:
    """URLs of the dashboards that exist under `base` (http://host:port), the leadership dashboard first."""
    query = f"?token={token}" if token else ""
    return [f"{base}/voila/render/{p}{query}" for p in PAGES if (DASHBOARDS / p).exists()]


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        return s.connect_ex((host.strip("[]"), port)) != 0


def wait_until_up(proc: subprocess.Popen, url: str, timeout: float = 60) -> bool:
    """Poll `url` until the server answers (any HTTP status); False when the process exits or the time runs
    out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            urllib.request.urlopen(url, timeout=2)
            return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            time.sleep(0.3)
    return False


def stop_voila(proc: subprocess.Popen) -> None:
    """Stop the Voilà process: SIGTERM (Voilà shuts its kernels down), SIGKILL when it has not stopped after
    `STOP_SECONDS` or on another Ctrl-C / SIGTERM (its kernels then leave by themselves within a second)."""
    proc.terminate()
    try:
        proc.wait(timeout=STOP_SECONDS)
    except (subprocess.TimeoutExpired, KeyboardInterrupt):
        proc.kill()
        proc.wait()


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m leaderkit.app.serve",
        description="用 Voilà 提供 dashboards/ 下的仪表板。默认只在本机（127.0.0.1）提供，只接受本机地址的请求。\n"
                    "Serve the dashboards in dashboards/ with Voilà. By default only on this machine "
                    "(127.0.0.1), answering requests addressed to a local name only.",
        epilog="局域网示例 / LAN example:\n"
               "  python -m leaderkit.app.serve --lan --allow-host dash.example.lan --allow-host 192.168.1.20\n"
               "Ctrl-C 或 SIGTERM 停止服务器及其内核 / Ctrl-C or SIGTERM stops the server and its kernels. "
               "docs/SECURITY.md",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", help="监听的地址；默认 127.0.0.1，--lan 时 0.0.0.0（全部接口）/ the address to listen "
                                  "on; 127.0.0.1 by default, 0.0.0.0 (all interfaces) with --lan")
    p.add_argument("--port", type=int, default=8866, help="端口，默认 8866 / the port (8866)")
    p.add_argument("--lan", action="store_true",
                   help="在局域网上提供：每个请求都须带令牌，主机名须在 --allow-host 中 / serve on the LAN: every "
                        "request must carry the token, and its host name must be given with --allow-host")
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                   help="另外接受的主机名或 IP（请求 Host 头中的名称，不含端口），可重复 / another host name or IP "
                        "address to accept in the Host header (without the port); repeatable")
    p.add_argument("--token", help="--lan 时使用的令牌；默认每次启动随机生成并打印（命令行对本机其他用户可见）/ the "
                                   "token with --lan; by default a new random one is generated and printed "
                                   "(a command line is visible to other users of this machine)")
    return p


@dataclass(frozen=True)
class Plan:
    """How the options say to serve: the address to listen on, the Host names accepted, the token every
    request must carry ("" without --lan) and the host name the printed URLs use."""

    listen: str
    hosts: tuple[str, ...]
    token: str
    shown: str


def serving_plan(args) -> Plan:
    """The `Plan` for the parsed options; ServeError when they would serve beyond this machine without
    --lan, or --lan lacks a host name to accept."""
    allowed = [host_name(h) for h in args.allow_host]
    hosts = tuple(dict.fromkeys([*LOCAL_HOSTS, *allowed]))
    if not args.lan:
        if args.token:
            raise ServeError("--token 只能与 --lan 一起使用", "--token only goes with --lan")
        listen = args.host or "127.0.0.1"
        try:
            local = listen == "localhost" or ipaddress.ip_address(listen.strip("[]")).is_loopback
        except ValueError:
            local = False
        if not local:
            raise ServeError(f"--host {listen} 会让仪表板在本机以外可以访问", f"--host {listen} would serve the "
                             "dashboards beyond this machine", hint=Text(
                                 "局域网访问请加 --lan 和 --allow-host 名称（每个请求都须带令牌）",
                                 "for the LAN add --lan and --allow-host NAME (every request then needs a token)"))
        return Plan(listen, hosts, "", url_host(listen))
    if not allowed:
        raise ServeError("--lan 需要至少一个 --allow-host：同事在浏览器地址栏里输入的主机名或 IP",
                         "--lan needs at least one --allow-host: the host name or IP colleagues will type",
                         hint=Text(f"例如 --allow-host {socket.gethostname()}",
                                   f"for example --allow-host {socket.gethostname()}"))
    return Plan(args.host or "0.0.0.0", hosts, args.token or secrets.token_urlsafe(24), allowed[0])


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        plan = serving_plan(args)
    except LeaderkitError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    if not port_free(plan.listen, args.port):
        print(f"端口 {args.port} 已被占用，请换一个：make run PORT=8877 / port {args.port} is in use: "
              f"try make run PORT=8877", file=sys.stderr)
        return 2
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _interrupt)
    try:
        env = voila_env()
        warm_cache(env)
    except KeyboardInterrupt:
        return 0
    proc = subprocess.Popen(voila_command(plan.listen, args.port, plan.hosts), cwd=PROJECT_ROOT,
                            env={**env, TOKEN_ENV: plan.token}, start_new_session=True)
    try:
        here = url_host("127.0.0.1" if plan.listen in ("0.0.0.0", "::") else plan.listen)
        if wait_until_up(proc, f"http://{here}:{args.port}/"):
            head = ("leaderkit 仪表板已启动（局域网，须带令牌）/ dashboards are up (LAN, token required)"
                    if plan.token else "leaderkit 仪表板已启动 / dashboards are up")
            urls = "\n".join(f"    {u}" for u in page_urls(f"http://{plan.shown}:{args.port}", plan.token))
            print(f"\n{head}:\n{urls}\n按 Ctrl-C 停止 / Ctrl-C to stop\n", flush=True)
        return proc.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if proc.poll() is None:
            stop_voila(proc)
            print("已停止 / stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
