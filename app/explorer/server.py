"""The explorer's server: ``streamlit run app/explorer/server.py`` (``make app``) serves ``main.py``.

Why a server file: opened directly at a page's URL (``/map``), Streamlit's frontend guesses where
the server lives by probing ``/map/_stcore/health`` before ``/_stcore/health``; the first probe is a
404 that the browser logs as a console error. The frontend reads its server's address from
``window.__streamlit.BACKEND_BASE_URL`` when a host page sets it (Streamlit's embedding setting),
and then probes only that address. This middleware sets it, in the HTML page only; every request
still reaches Streamlit's own routes unchanged, so page routing is Streamlit's.
"""

from __future__ import annotations

import gzip
import json

import streamlit as st
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from streamlit import config


def backend_script(base_url_path: str) -> bytes:
    """The inline script naming the server: this page's origin plus Streamlit's ``server.baseUrlPath``."""
    path = "/" + base_url_path.strip("/")
    # json.dumps quotes the configured path; "</" cannot close the script tag once escaped
    literal = json.dumps(path).replace("</", "<\\/")
    return f"<script>window.__streamlit={{BACKEND_BASE_URL:location.origin+{literal}}}</script>".encode()


class BackendBaseUrl:
    """Insert :func:`backend_script` at the top of every HTML page Streamlit serves."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] == "HEAD":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        body: list[bytes] = []

        async def send_with_script(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                named = dict(message.get("headers", []))
                is_html = named.get(b"content-type", b"").startswith(b"text/html")
                if not is_html or named.get(b"content-encoding", b"gzip") != b"gzip":
                    await send(message)
                    return
                start = message  # hold the headers until the body is complete
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            page = b"".join(body)
            # Streamlit gzips its pages; this one is sent plain (a few kB, on loopback)
            if dict(start.get("headers", [])).get(b"content-encoding") == b"gzip":
                page = gzip.decompress(page)
            script = backend_script(config.get_option("server.baseUrlPath"))
            page = page.replace(b"<head>", b"<head>" + script, 1)
            dropped = (b"content-length", b"content-encoding")
            headers = [(k, v) for k, v in start.get("headers", []) if k not in dropped]
            headers.append((b"content-length", str(len(page)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": page})

        await self.app(scope, receive, send_with_script)


app = st.App("main.py", middleware=[Middleware(BackendBaseUrl)])
