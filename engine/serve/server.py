"""The server: folders and options → the workbench running under uvicorn, its URL printed."""

from __future__ import annotations

import secrets
import sys
import typing as t
from pathlib import Path

from engine.context import DEFAULT, Context
from engine.errors import Location, Problem, UsageError


def serve(folders: t.Sequence[str | Path], host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          context: Context = DEFAULT) -> int:
    """Serve ``folders`` at ``host:port`` until interrupted; prints the URL to open.

    Any host other than this machine needs a token: the given one, or a new
    random one printed in the URL (as Jupyter does).

    Raises:
        UsageError: a folder is missing, or the port is out of range.
    """
    import uvicorn

    from engine.serve.app import create_app
    from engine.serve.pages import Config
    from engine.serve.safety import Served, Visits, is_loopback

    if not 0 < port < 65536:
        raise UsageError([Problem.at("serve_bad_port", Location("--port"), found=port)])
    served = Served.of(folders)
    _check_port(host, port)
    if token is None and not is_loopback(host):
        token = secrets.token_urlsafe(24)
    # The server's own context: the pages' language and the history store (each request makes its own notices).
    config = Config(served, Context(lang=context.lang, history=context.history), host, port, token)
    visits = Visits()
    app = create_app(config, visits)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    folders_text = "、".join(str(r) for r in served.roots)
    print(context.say("考核工作台，方案文件夹: ", "Kaohe workbench for ") + folders_text, file=sys.stderr)
    print(context.say("在浏览器中打开 ", "open ") + url, file=sys.stderr)
    print(context.say("按 Ctrl+C 停止", "press Ctrl+C to stop"), file=sys.stderr)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        visits.close()  # the visitors' uploads and downloads go with the server
    return 0


def _check_port(host: str, port: int) -> None:
    """Refuse, with a located message, an address that cannot be listened on (a port in use,
    a host not of this machine) — uvicorn would only log it in English and exit."""
    import socket

    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except (OSError, OverflowError) as err:
        raise UsageError([Problem.at("serve_port_busy", Location("--host/--port"), host=host, port=port,
                                     reason=getattr(err, "strerror", None) or str(err))]) from None
