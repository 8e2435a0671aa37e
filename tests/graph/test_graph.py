"""The needs-to-datasets graph: its nodes, analyses and exports (read back by networkx)."""

from pathlib import Path

import networkx as nx
import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from insights.datasets.models import Dataset
from insights.datasets.services import decide_link
from insights.extensions import db
from insights.graph.analyses import analyse, data_request
from insights.graph.build import build_graph
from insights.graph.snapshot import DatasetFact, GraphData, Link, Need, load_graph_data
from insights.organisations.models import Organisation
from tests.factories import make_statement, make_workshop

HACKNEY, LAMBETH = "E09000012", "E09000022"


def small_data() -> GraphData:
    """Three needs in two boroughs, two datasets, one confirmed link, two suggestions."""
    return GraphData(
        needs=[
            Need(1, "Volunteering rates by borough", 1, 10, HACKNEY),
            Need(2, "Unregistered groups in our borough", 1, 11, LAMBETH),
            Need(3, "Data on grassroots groups", 1, 10, HACKNEY),
        ],
        datasets=[
            DatasetFact(1, "Volunteering by borough", "borough"),
            DatasetFact(2, "Member database", "organisation", "held-privately", 10),
            DatasetFact(3, "Group list", "organisation", "held-privately", 11),
        ],
        links=[
            Link(1, 1, "confirmed", "serves", 1.0),
            Link(2, 2, "suggested", None, 0.4),
            Link(3, 3, "suggested", None, 0.3),
        ],
        themes={"volunteering": "Volunteering", "grassroots-unregistered": "Grassroots"},
        need_themes=[
            (1, "volunteering"),
            (2, "grassroots-unregistered"),
            (3, "grassroots-unregistered"),
        ],
        dataset_themes=[
            (1, "volunteering"),
            (2, "grassroots-unregistered"),
            (3, "grassroots-unregistered"),
        ],
        organisations={10: ("Hackney CVS", HACKNEY), 11: ("Lambeth CVS", LAMBETH)},
        boroughs={HACKNEY: "Hackney", LAMBETH: "Lambeth"},
        workshops={1: "Data about the sector"},
        next_steps={1: "Map grassroots groups"},
        step_edges=[(1, "need", "2")],
    )


def test_the_graph_holds_every_kind_of_node() -> None:
    graph = build_graph(small_data())
    kinds = {kind for _, kind in graph.nodes(data="type")}
    assert kinds == {"need", "theme", "dataset", "organisation", "borough", "next-step"}
    assert graph.edges["need:1", "dataset:1"]["kind"] == "serves"
    assert graph.has_edge("next-step:1", "need:2")


def test_gaps_are_needs_without_a_confirmed_dataset_grouped_by_theme() -> None:
    result = analyse(small_data())
    assert [g.need.id for g in result.gaps] == [2, 3]
    assert list(result.gaps_by_theme) == ["grassroots-unregistered"]


def test_a_gap_whose_best_suggestion_is_weak_has_no_good_match_yet() -> None:
    data = small_data()
    data.links[1] = Link(2, 2, "suggested", None, 0.4, "possible")
    data.links[2] = Link(3, 3, "suggested", None, 0.3, "weak")
    data.links.append(Link(3, 2, "suggested", None, 0.2, "weak"))
    by_need = {gap.need.id: gap for gap in analyse(data).gaps}
    assert not by_need[2].no_good_match and by_need[2].best_strength == "possible"
    assert by_need[3].no_good_match


def test_coverage_per_theme_is_the_share_of_needs_served() -> None:
    coverage = {row.slug: row.share for row in analyse(small_data()).coverage}
    assert coverage == {"volunteering": 1.0, "grassroots-unregistered": 0.0}


def test_datasets_by_reach_put_the_dataset_serving_most_needs_first() -> None:
    reach = analyse(small_data()).reach
    assert (reach[0].dataset_id, reach[0].served) == (1, 1)


def test_pooling_finds_similar_data_held_in_two_boroughs_and_a_shared_gap() -> None:
    pooling = {(p.kind, p.theme): p.boroughs for p in analyse(small_data()).pooling}
    assert pooling[("held-data", "grassroots-unregistered")] == ("Hackney", "Lambeth")
    assert pooling[("shared-gap", "grassroots-unregistered")] == ("Hackney", "Lambeth")


def test_clusters_group_related_needs() -> None:
    clusters = analyse(small_data()).clusters
    assert [2, 3] in clusters


def test_a_data_request_says_what_is_missing_who_asked_and_where() -> None:
    data = small_data()
    gap = analyse(data).gaps[0]
    request = data_request(gap, data)
    assert "Unregistered groups in our borough" in request
    assert "Lambeth CVS, Lambeth" in request
    assert "Member database" in request


@pytest.mark.parametrize(("fmt", "reader"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graph_exports_read_back_with_the_same_nodes_and_edges(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, fmt: str, reader: object
) -> None:
    workshop = make_workshop(db.session)
    organisation = Organisation(name="Hackney CVS", borough_code=HACKNEY)
    db.session.add(organisation)
    need = make_statement(db.session, workshop, "Volunteering rates by borough")
    dataset = Dataset(title="Volunteering by borough", keywords=[], extra={})
    db.session.add(dataset)
    db.session.flush()
    decide_link(db.session, need, dataset, status="confirmed", coverage="serves", user=None)
    db.session.commit()
    out = tmp_path / f"graph.{fmt}"
    result = runner.invoke(args=["graph", "export", "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    expected = build_graph(load_graph_data(db.session))
    read = reader(out)  # type: ignore[operator]
    assert set(read.nodes) == set(expected.nodes)
    assert {frozenset(e) for e in read.edges} == {frozenset(e) for e in expected.edges}
    assert read.nodes[f"need:{need.id}"]["label"] == "Volunteering rates by borough"


def test_json_and_kumu_exports_hold_every_node(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    import json

    make_statement(db.session, make_workshop(db.session), "A need")
    db.session.commit()
    for fmt in ("json", "kumu"):
        out = tmp_path / f"graph-{fmt}.json"
        assert (
            runner.invoke(args=["graph", "export", "--format", fmt, "--out", str(out)]).exit_code
            == 0
        )
        data = json.loads(out.read_text())
        nodes = data["nodes"] if fmt == "json" else data["elements"]
        assert any(n.get("label") == "A need" for n in nodes)


def test_gaps_and_links_csv_open_cleanly_in_excel(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    make_statement(db.session, make_workshop(db.session), "Pay of sessional workers, £ per hour")
    db.session.commit()
    out = tmp_path / "gaps.csv"
    assert runner.invoke(args=["graph", "gaps", "--out", str(out)]).exit_code == 0
    text = out.read_bytes().decode("utf-8")
    assert text.startswith("\ufeffneed_id,need,workshop")
    assert "£ per hour" in text
    links = tmp_path / "links.csv"
    assert runner.invoke(args=["graph", "links", "--out", str(links)]).exit_code == 0
