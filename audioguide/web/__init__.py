"""The workbench: ``audioguide serve``, a local web page from document to package, for clinic staff."""

from __future__ import annotations

import ipaddress
import secrets
import socket
import threading
import webbrowser
from pathlib import Path

from ..errors import InputError
from .app import DEFAULT_MAX_UPLOAD, create_app

__all__ = ["DEFAULT_MAX_UPLOAD", "create_app", "is_loopback", "serve"]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(output: Path, host: str, port: int, *, open_browser: bool, max_upload: int, say=print) -> None:
    """Run the workbench until Ctrl-C; away from loopback, every request needs the printed token."""
    import uvicorn

    token = None if is_loopback(host) else secrets.token_urlsafe(24)
    try:
        with socket.create_server((host, port)):
            pass  # a clear line now, rather than uvicorn's traceback, when the port is taken
    except OSError as error:
        raise InputError(f"cannot listen on {host}:{port} ({error.strerror}); choose another --port") from None
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    app = create_app(Path(output), token=token, max_upload=max_upload)
    say(f"audioguide workbench: {url}  (packages go to {Path(output).absolute()}; Ctrl-C stops it)")
    if token:
        say("Others on the network can reach it: share that link (it holds the access token) only with staff.")
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(app, host=host, port=port, log_level="warning")
