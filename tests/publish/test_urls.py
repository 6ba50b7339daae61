"""Site URLs: relative links between pages, and record links made inert before they reach a page."""

from __future__ import annotations

import itertools
import posixpath

import pytest

from generator.publish.urls import doi_url, file_link, href


def test_relative_links_match_posixpath():
    files = ["index.md", "methods.md", "studies/a.md", "studies/b.md", "facets/index.md", "facets/task/index.md",
             "facets/task/x.md", "facets/app/y.md", "explore/index.md", "a/b/c/d.md"]
    for a, b in itertools.product(files, files):
        assert file_link(a, b) == posixpath.relpath(b, posixpath.dirname(a) or ".")
    assert file_link("studies/a.md", "explore/index.md?task=x,y") == "../explore/index.md?task=x,y"


@pytest.mark.parametrize(("url", "expected"), [
    ("https://example.org/a_b?x=1&y=2#top", "https://example.org/a_b?x=1&y=2#top"),
    ("https://example.org/[x](/autofocus/onfocus=alert(1)//)", "https://example.org/%5Bx%5D%28/autofocus/onfocus=alert%281%29//%29"),
    ('https://example.org/"onmouseover="x', "https://example.org/%22onmouseover=%22x"),
    ("https://example.org/`code`<b>", "https://example.org/%60code%60%3Cb%3E"),
    ("https://example.org/caf\u00e9", "https://example.org/caf%C3%A9"),
    ("https://example.org/already%20encoded", "https://example.org/already%20encoded"),
    ("javascript:alert(1)", None), ("data:text/html,x", None), ("//example.org/x", None), ("", None), (None, None),
])
def test_record_links_cannot_carry_markup(url, expected):
    assert href(url) == expected


def test_doi_links_encode_markup_characters():
    assert doi_url("10.1016/S0140-6736(20)30183-5") == "https://doi.org/10.1016/S0140-6736%2820%2930183-5"
    assert doi_url("10.1000/[x](y)") == "https://doi.org/10.1000/%5Bx%5D%28y%29"
