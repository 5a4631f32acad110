"""The demo participation: every initiative state across several regions, a city budget in its
voting phase and a district one finished with implementation records; all synthetic and
labelled; idempotent; its pages render."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from maslikhat.demo.participation_demo import generate_demo_participation
from maslikhat.participation.choices import InitiativeStatus, Phase, ProjectStatus, VerificationMethod
from maslikhat.participation.models import (
    Ballot,
    BudgetProcess,
    Implementation,
    ImplementationUpdate,
    Initiative,
    PaperSignatures,
    Project,
    ResidentRecord,
    Support,
    Verification,
)
from maslikhat.participation.selectors import results
from maslikhat.participation.services import excluded_topic_of, phase_of
from tests.country import country  # noqa: F401  (the module-scoped fixture: Talgar, Temirtau)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("country")]


def test_every_state_both_processes_labelled_and_idempotent() -> None:
    made = generate_demo_participation(seed=1)
    assert made > 300
    assert generate_demo_participation(seed=1) == 0

    # 30 initiatives, in every state, addressed to maslikhats of several regions
    assert Initiative.objects.count() == 30
    assert set(Initiative.objects.values_list("status", flat=True)) == set(InitiativeStatus.values)
    regions = {
        i.body.area.code if i.body.area.kind == "region" else i.body.area.parent.code
        for i in Initiative.objects.select_related("body__area__parent")
    }
    assert len(regions) == 5
    for i in Initiative.objects.filter(status=InitiativeStatus.REFUSED):
        topic = excluded_topic_of(f"{i.title} {i.text}")
        assert topic is not None and topic in i.moderation_reason
    collecting = Initiative.objects.filter(status=InitiativeStatus.COLLECTING)
    assert all(i.online_supports > 0 for i in collecting)
    assert Support.objects.count() == sum(Initiative.objects.values_list("online_supports", flat=True))
    assert PaperSignatures.objects.exists()
    for i in Initiative.objects.filter(status__in=["reached", "accepted", "partly", "rejected"]):
        assert i.supports >= (i.threshold or 0) and i.reached_on and i.answer_due
    for i in Initiative.objects.filter(status__in=["accepted", "partly", "rejected"]):
        assert i.answer_text and i.answered_on
    assert Implementation.objects.filter(initiative__isnull=False).count() == 6

    # the city process votes now: every project past expert review, some ballots
    city = BudgetProcess.objects.get(area__code="KZ-71")
    assert phase_of(city) == Phase.VOTING
    assert not city.projects.filter(status=ProjectStatus.SUBMITTED).exists()
    assert city.projects.filter(status=ProjectStatus.REJECTED).exclude(review_reason="").exists()
    assert city.ballots.filter(paper=False).exists() and city.ballots.filter(paper=True).exists()
    # the district process is finished: results, winners, implementation with updates and money
    district = BudgetProcess.objects.exclude(pk=city.pk).get()
    assert district.area.code == "196200000"  # Talgar district
    assert phase_of(district) == Phase.FINISHED
    r = results(process=district)
    assert r is not None and r.winners and r.voters == district.ballots.count()
    assert r.spent <= district.total_amount
    records = Implementation.objects.filter(project__process=district)
    assert records.count() == len(r.winners)
    assert all(m.updates.exists() and m.spent > 0 and m.progress > 0 for m in records)

    # residents verified by more than one method; everything synthetic is marked
    methods = set(Verification.objects.values_list("method", flat=True))
    assert {VerificationMethod.IN_PERSON, VerificationMethod.RESIDENTS_LIST} <= methods
    for model in (Initiative, BudgetProcess, Project, Ballot, Implementation, Verification, ResidentRecord):
        assert model.objects.exists() and not model.objects.filter(is_demo=False).exists(), model
    residents = get_user_model().objects.filter(username__startswith="demo-resident-")
    assert residents.exists() and not residents.filter(is_demo=False).exists()
    assert not any(u.has_usable_password() for u in residents)
    assert ImplementationUpdate.objects.count() >= records.count()


@pytest.mark.parametrize("language", ["kk", "en"])
def test_the_demo_pages_render(client: Any, language: str) -> None:
    generate_demo_participation(seed=1)
    urls = [f"/{language}/participation/", f"/{language}/participation/?status=collecting"]
    urls += [
        f"/{language}/participation/initiatives/{pk}/"
        for pk in Initiative.objects.exclude(status="submitted").values_list("pk", flat=True)
    ]
    urls += [
        f"/{language}/participation/budgets/{pk}/"
        for pk in BudgetProcess.objects.values_list("pk", flat=True)
    ]
    urls += [
        f"/{language}/participation/implementation/{pk}/"
        for pk in Implementation.objects.values_list("pk", flat=True)
    ]
    district = BudgetProcess.objects.exclude(area__code="KZ-71").get()
    urls.append(f"/{language}/participation/budgets/{district.pk}/results.csv")
    for url in urls:
        assert client.get(url).status_code == 200, url
    # a visitor (the demo citizen) can open the verification page
    citizen = get_user_model().objects.get(username="citizen")
    client.force_login(citizen)
    page = client.get(f"/{language}/participation/verify/?area=711110000")
    assert page.status_code == 200
    # a resident sees the vote form of the city process
    voter = get_user_model().objects.filter(username__startswith="demo-resident-").order_by("pk").first()
    client.force_login(voter)
    city = BudgetProcess.objects.get(area__code="KZ-71")
    page = client.get(f"/{language}/participation/budgets/{city.pk}/")
    assert page.status_code == 200 and b'name="projects"' in page.content
