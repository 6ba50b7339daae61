"""review.yaml's living status on the site: Home and Methods say it with the last search date; an
archived map says so on every page (Material's announcement bar), a living one shows no bar."""

from __future__ import annotations

import lxml.html
import pytest
from conftest import built, make_project, record


def set_living(project, text: str) -> None:
    review = project / "data" / "review.yaml"
    body = review.read_text(encoding="utf-8")
    start = body.index("living:\n")
    end = body.index("\n# DOIs of the releases")
    review.write_text(body[:start] + text + body[end:], encoding="utf-8")


@pytest.fixture(scope="module")
def archived(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("archived"), [record()])
    set_living(project, "living:\n  status: archived\n  cadence: none\n  note: It continues as another map.")
    return built(project)


def doc(site, path):
    return lxml.html.parse(str(site / path)).getroot()


def text(el) -> str:
    return " ".join(el.text_content().split())


@pytest.mark.parametrize("path", ["index.html", "methods/index.html", "studies/doe2020transfer/index.html", "changes/index.html",
                                  "facets/application/brain-tumor/index.html"])
def test_an_archived_map_says_so_on_every_page(archived, path):
    [banner] = doc(archived, path).xpath("//*[@data-md-component='announce']//*[contains(@class, 'md-banner__inner')]")
    assert text(banner) == "Archived: This map is no longer updated; its data and releases stay available as they are. It continues as another map."


def test_home_and_methods_state_the_status(archived):
    for path in ("index.html", "methods/index.html"):
        body = text(doc(archived, path).xpath("//article")[0])
        assert "Status: Archived. This map is no longer updated" in body, path


def test_a_living_map_has_no_banner_and_states_its_cadence(real_site):
    home = doc(real_site, "index.html")
    assert home.xpath("//*[contains(@class, 'md-banner')]") == []
    assert "Status: Living. Updated every month: the searches are rerun, new studies coded and a release cut. Last searched 20" in text(home.xpath("//article")[0])
