"""The participation sections on the directory's pages: a maslikhat's page and an area's page
show the initiatives open for support and the budget processes in progress with their phase."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone

from maslikhat.participation.models import BudgetProcess, Initiative
from maslikhat.participation.sections import SECTIONS
from maslikhat.participation.services import initiative_create, initiative_moderate
from tests.participation.world import phases

pytestmark = pytest.mark.django_db


def render_sections(page: str, slot: str, obj: Any, request: Any) -> str:
    """The participation sections alone (the other apps' sections have their own pins)."""
    parts = []
    for section in SECTIONS:
        if section.page == page and section.slot == slot:
            context = section.context(request, obj)
            if context is not None:
                parts.append(render_to_string(section.template, context))
    return "".join(parts)


def _html(response: Any) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _publish(locality: dict[str, Any], author: Any, title: str, area: Any = None) -> Initiative:
    initiative = initiative_create(
        actor=author,
        area=area or locality["village"],
        title=title,
        text="A bench by the bus stop, please.",
        category="yards",
    )
    return initiative_moderate(actor=locality["staff"], initiative=initiative, publish=True)


def test_body_page_lists_open_initiatives_and_the_process_with_its_phase(
    locality: dict[str, Any], resident: Any, voting: dict[str, Any]
) -> None:
    # given an initiative collecting support, one expired and one awaiting moderation
    _publish(locality, resident, "Benches at the bus stop")
    old = _publish(locality, resident, "An expired idea")
    Initiative.objects.filter(pk=old.pk).update(support_until=timezone.localdate() - timedelta(days=1))
    initiative_create(
        actor=resident, area=locality["village"], title="Not yet moderated", text="Text.", category="other"
    )
    # when the district maslikhat's page is opened
    html = _html(Client().get(f"/en/bodies/{locality['body'].pk}/"))
    # then the open one and the voting process show, the others do not
    assert "Benches at the bus stop" in html
    assert "An expired idea" not in html and "Not yet moderated" not in html
    assert "District budget 2026" in html and "voting" in html
    assert f"/participation/budgets/{voting['process'].pk}/" in html


def test_other_maslikhats_page_does_not_show_them(
    locality: dict[str, Any], resident: Any, voting: dict[str, Any]
) -> None:
    _publish(locality, resident, "Benches at the bus stop")
    html = _html(Client().get(f"/en/bodies/{locality['other_body'].pk}/"))
    assert "Benches at the bus stop" not in html and "District budget 2026" not in html
    assert "Local initiatives and budgets" not in html


def test_area_pages_show_their_initiatives_and_the_district_process(
    locality: dict[str, Any], resident: Any, voting: dict[str, Any]
) -> None:
    _publish(locality, resident, "Benches at the bus stop")
    client = Client()
    # the district: its initiatives (those of its settlements too) and its process
    district = _html(client.get(f"/en/areas/{locality['district'].code}/"))
    assert "Benches at the bus stop" in district and "District budget 2026" in district
    # the village: its initiative, and its district's process (where its residents vote)
    village = _html(client.get(f"/en/areas/{locality['village'].code}/"))
    assert "Benches at the bus stop" in village and "District budget 2026" in village
    # the other district: nothing
    other = _html(client.get(f"/en/areas/{locality['other_district'].code}/"))
    assert "Benches at the bus stop" not in other and "District budget 2026" not in other


def test_finished_and_upcoming_processes_are_not_in_progress(
    locality: dict[str, Any], voting: dict[str, Any]
) -> None:
    # given the process tallied, and another one starting next month
    BudgetProcess.objects.filter(pk=voting["process"].pk).update(tallied_at=timezone.now())
    BudgetProcess.objects.create(
        body=locality["body"],
        area=locality["district"],
        title="Next year's budget",
        total_amount=10,
        cost_limit=10,
        **phases(timezone.localdate() + timedelta(days=80)),
    )
    assert render_sections("directory.body", "main", locality["body"], None).count("participation") == 0


@pytest.mark.parametrize("page", ["body", "area"])
def test_query_count_is_constant(
    locality: dict[str, Any],
    make_resident: Any,
    voting: dict[str, Any],
    django_assert_max_num_queries: Any,
    page: str,
) -> None:
    # given one open initiative and the process
    author = make_resident()
    _publish(locality, author, "Initiative 0")
    obj, name = (
        (locality["body"], "directory.body")
        if page == "body"
        else (
            locality["district"],
            "directory.area",
        )
    )
    # the sections take two queries
    with django_assert_max_num_queries(2):
        one = render_sections(name, "main", obj, None)
    # when there are ten more initiatives and three more processes
    for n in range(1, 11):
        _publish(locality, author, f"Initiative {n}")
    for n in range(3):
        BudgetProcess.objects.create(
            body=locality["body"],
            area=locality["district"],
            title=f"Process {n}",
            total_amount=10,
            cost_limit=10,
            **phases(timezone.localdate() + timedelta(days=5 + n)),
        )
    # then still two queries (five rows of each are shown)
    with django_assert_max_num_queries(2):
        many = render_sections(name, "main", obj, None)
    assert one.count("/participation/initiatives/") == 1
    assert many.count("/participation/initiatives/") == 5
    assert many.count("/participation/budgets/") == 4


def test_hostile_titles_are_escaped(locality: dict[str, Any], resident: Any) -> None:
    _publish(locality, resident, "<script>alert(1)</script>")
    html = render_sections("directory.area", "main", locality["district"], None)
    assert "<script>alert" not in html and "&lt;script&gt;" in html
