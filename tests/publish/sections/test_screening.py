"""The Screening page and the living PRISMA flow on Methods, on a fixture with known counts."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import markdown
from conftest import make_data
from screening_fixture import EXPECTED, HOSTILE_TITLE, PUBMED, write_searches

from generator.evidence.dataset import load
from generator.publish.context import SiteContext
from generator.publish.living import candidate_link, currency, flows
from generator.publish.sections import home, methods, screening


def dataset(tmp_path: Path):
    data = make_data(tmp_path)
    write_searches(data)
    return load(data)


def html(md: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(markdown.markdown(md, extensions=["attr_list", "md_in_html", "tables", "toc"]))


def text(el: lxml.html.HtmlElement) -> str:
    return re.sub(r"\s+", " ", el.text_content()).strip()


def test_flow_counts(tmp_path: Path) -> None:
    got = {f.source: (f.identified, f.duplicates, f.screened, dict(f.excluded), f.included, f.pending) for f in flows(dataset(tmp_path))}
    assert got == EXPECTED


def test_methods_boxes_show_the_counts_and_link_to_their_lists(tmp_path: Path) -> None:
    ds = dataset(tmp_path)
    page = html(methods.produce(ds, SiteContext())["methods.md"])
    figures = page.xpath("//figure[contains(@class, 'em-prisma--living')]")
    assert len(figures) == 2
    boxes = {f"{src}:{text(a)}": a.get("href") for src, fig in zip(("pubmed", "scopus"), figures, strict=True) for a in fig.xpath(".//a")}
    assert boxes == {
        "pubmed:7 records identified from pubmed (1 run, last 2026-01-05)": "../screening/#src-pubmed",
        "pubmed:1 duplicates removed": "../screening/#src-pubmed-duplicates",
        "pubmed:6 records screened": "../screening/#src-pubmed",
        "pubmed:3 excluded": "../screening/#src-pubmed-excluded",
        "pubmed:2 Not brain MRI": "../screening/#src-pubmed-excluded-not-brain-mri",
        "pubmed:1 No transfer learning": "../screening/#src-pubmed-excluded-no-transfer-learning",
        "pubmed:1 included (records of this map)": "../screening/#src-pubmed-included",
        "pubmed:2 awaiting screening": "../screening/#src-pubmed-pending",
        "scopus:2 records identified from scopus (1 run, last 2026-02-01)": "../screening/#src-scopus",
        "scopus:1 duplicates removed": "../screening/#src-scopus-duplicates",
        "scopus:1 records screened": "../screening/#src-scopus",
        "scopus:0 excluded": "../screening/#src-scopus-excluded",
        "scopus:0 included (records of this map)": "../screening/#src-scopus-included",
        "scopus:1 awaiting screening": "../screening/#src-scopus-pending",
    }
    # every anchor a box links to exists on the Screening page
    ids = set(html(screening.produce(ds, SiteContext())["screening.md"]).xpath("//@id"))
    assert {h.split("#")[1] for h in boxes.values()} <= ids
    body = text(page)
    assert "last searched on 2026-02-01, with scopus (2026-02-01), pubmed (2026-01-05). 3 of 9 candidates await screening" in body
    assert "433" in body and "129" in body  # the source review's own numbers stay


def test_screening_lists_and_escapes(tmp_path: Path) -> None:
    ds = dataset(tmp_path)
    page = html(screening.produce(ds, SiteContext())["screening.md"])
    pending = page.xpath("//*[@id='src-pubmed-pending']/following-sibling::ul[1]/li")
    assert [text(li).split(".")[0] for li in pending][1] == "Pretraining on synthetic scans (part 1)"
    hostile = text(pending[0])
    assert HOSTILE_TITLE in hostile and "evidence-map include 6 --search " + PUBMED in hostile
    assert not page.xpath("//script") and not page.xpath("//img") and not page.xpath("//strong[contains(., 'bold')]")
    # the hostile URL arrives percent-encoded (as validation requires) and stays one inert link
    assert [a.get("href") for a in pending[0].xpath(".//a")] == ["https://example.org/x?a=1&b=%222%22%3Cscript%3E&c=_*x*_"]
    assert pending[1].xpath(".//a")[0].get("href") == "https://example.org/paper_%281%29"
    scopus = page.xpath("//*[@id='src-scopus-pending']/following-sibling::ul[1]/li")
    assert scopus[0].xpath(".//a")[0].get("href") == "https://arxiv.org/abs/2501.01234"
    reasons = [text(h) for h in page.xpath("//h4")]
    assert reasons == ["Not brain MRI (2)¶", "No transfer learning (1)¶"] or reasons == ["Not brain MRI (2)", "No transfer learning (1)"]
    dup = text(page.xpath("//*[@id='src-scopus-duplicates']/following-sibling::ul[1]/li")[0])
    assert f"duplicate of {PUBMED}:7 (confidence 0.95)" in dup
    included = page.xpath("//*[@id='src-pubmed-included']/following-sibling::ul[1]/li")[0]
    assert "studies/doe2020transfer.md" in [a.get("href") for a in included.xpath(".//a")]


def test_pending_candidates_are_listed_by_relevance_score(tmp_path: Path) -> None:
    ds = dataset(tmp_path)
    path = ds.root / "data" / "searches" / f"{PUBMED}.yaml"
    text_ = path.read_text(encoding="utf-8").replace(
        '  - key: "7"\n', '  - key: "7"\n    score: 0.91\n').replace('  - key: "6"\n', '  - key: "6"\n    score: 0.12\n')
    path.write_text(text_, encoding="utf-8")
    page = html(screening.produce(load(ds.root / "data"), SiteContext())["screening.md"])
    pending = page.xpath("//*[@id='src-pubmed-pending']/following-sibling::ul[1]/li")
    assert text(pending[0]).startswith("Pretraining on synthetic scans (part 1)") and "Relevance score 0.91" in text(pending[0])
    assert "Relevance score 0.12" in text(pending[1])


def test_home_says_when_last_searched(tmp_path: Path) -> None:
    ds = dataset(tmp_path)
    body = text(html(home.home(ds)))
    assert "Last searched 2026-02-01 (scopus, pubmed): 3 candidates await screening." in body


def test_no_searches(tmp_path: Path) -> None:
    ds = load(make_data(tmp_path))
    assert currency(ds) is None and flows(ds) == []
    assert "No search runs are recorded yet" in screening.produce(ds, SiteContext())["screening.md"]
    assert "No search runs are recorded yet" in methods.produce(ds, SiteContext())["methods.md"]


def test_candidate_links_go_through_the_sites_one_link_rule() -> None:
    """A candidate's link is its DOI's resolver, else its URL, else its arXiv page, each made inert as study links are."""
    from generator.evidence.searches import Candidate

    def link(**kw: str) -> str | None:
        return candidate_link(Candidate(key="k", title="t", decision="pending", **kw))

    assert link(doi="10.1016/S0140-6736(20)30183-5") == "https://doi.org/10.1016/S0140-6736%2820%2930183-5"
    assert link(url="https://example.org/x_%28y%29") == "https://example.org/x_%28y%29"
    assert link(arxiv="2102.01530") == "https://arxiv.org/abs/2102.01530"
    assert link() is None
