"""Checks the explorer's AppTest suites share (the bundled store's and the twin-cities store's)."""

from __future__ import annotations

from urllib.parse import parse_qsl

from streamlit.testing.v1 import AppTest


def texts(at: AppTest) -> str:
    """Everything the page shows as text (markdown sources, captions, headers, alerts)."""
    parts = [
        e.value
        for kind in ("markdown", "caption", "header", "subheader", "title", "text")
        for e in at.get(kind)
    ]
    parts += [e.proto.body for kind in ("error", "warning", "info", "success") for e in at.get(kind)]
    return "\n".join(str(p) for p in parts)


def network_html(at: AppTest) -> str:
    """The HTML of the first network view on the page (its iframe's document)."""
    htmls = [e.proto.srcdoc for e in at.get("iframe")]
    assert htmls and htmls[0], "the page shows a network view"
    return htmls[0]


def json_text(value: str) -> str:
    from climatekg.app.explorer.views.network import script_json

    return script_json(value)[1:-1]


def try_this_links(at: AppTest) -> list[tuple[str, dict[str, str]]]:
    """The home page's "try this" links: (page, URL parameters), read back from the page."""
    return [
        (link.proto.page, dict(parse_qsl(link.proto.query_string)))
        for link in at.get("page_link")
        if link.proto.icon == ":material/arrow_forward:"
    ]


def assert_link_answers(at: AppTest, page: str, params: dict[str, str]) -> None:
    """The page a try-this link opens shows an answer: a path, a suggestion list, a coverage matrix."""
    if page == "paths":
        assert at.subheader and at.subheader[0].value.endswith(("path", "paths")), texts(at)
    elif params.get("tab") == "Suggested partners":
        table = next(d.value for d in at.dataframe if "suggested id" in d.value.columns)
        assert len(table) > 0 and all(table["partner id"] == params["for_entity"])
    elif params.get("tab") == "Technology coverage":
        cells = next(d.value for d in at.dataframe if "technology" in d.value.columns)
        assert len(cells) > 0 and sum(cells["covered"]) > 0
    elif page == "network":
        assert any(c.value.split(" entities,")[0].replace(",", "").isdigit() for c in at.caption)
        assert network_html(at)
    else:
        raise AssertionError(f"a try-this link to an unexpected page: {page}")
