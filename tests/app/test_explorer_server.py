"""The explorer's server file names its backend in the HTML page, and only there."""

from __future__ import annotations

import asyncio
import gzip
import html.parser

from climatekg.app.explorer.server import BackendBaseUrl, backend_script


class Scripts(html.parser.HTMLParser):
    """Collect the text of every <script> element, as a browser would parse it."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.inside = tag == "script"
        if self.inside:
            self.texts.append("")

    def handle_endtag(self, tag):
        self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.texts[-1] += data


def test_the_script_uses_the_base_url_path_and_cannot_close_its_tag() -> None:
    assert backend_script("") == b'<script>window.__streamlit={BACKEND_BASE_URL:location.origin+"/"}</script>'
    hostile = backend_script("/x</script><script>alert(1)//")
    parser = Scripts()
    parser.feed(hostile.decode())
    assert len(parser.texts) == 1  # the configured path did not end the script early


def serve(
    content_type: bytes, body: bytes, method: str = "GET", encoding: bytes | None = None
) -> tuple[list[dict], bytes]:
    head = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    if encoding:
        head.append((b"content-encoding", encoding))

    async def inner(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": head})
        await send({"type": "http.response.body", "body": body[:10], "more_body": True})
        await send({"type": "http.response.body", "body": body[10:]})

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    scope = {"type": "http", "method": method, "path": "/map", "headers": []}
    asyncio.run(BackendBaseUrl(inner)(scope, receive, send))
    return sent, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def test_html_pages_get_the_script_with_a_matching_length() -> None:
    page = b"<!DOCTYPE html><html><head><title>t</title></head></html>"
    sent, body = serve(b"text/html; charset=utf-8", page)
    assert body == page.replace(b"<head>", b"<head>" + backend_script(""))
    length = dict(sent[0]["headers"])[b"content-length"]
    assert int(length) == len(body)


def test_gzipped_pages_are_unpacked_and_sent_plain() -> None:
    page = b"<!DOCTYPE html><html><head><title>t</title></head></html>"
    sent, body = serve(b"text/html", gzip.compress(page), encoding=b"gzip")
    assert body == page.replace(b"<head>", b"<head>" + backend_script(""))
    assert b"content-encoding" not in dict(sent[0]["headers"])


def test_other_responses_pass_unchanged() -> None:
    js = b"console.log('<head>'); // not a page"
    assert serve(b"text/javascript", js)[1] == js
    assert serve(b"text/html", b"<head></head>", method="HEAD")[1] == b"<head></head>"
