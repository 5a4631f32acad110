"""Back office: creating or changing any object tied to an organization checks the TARGET
organization with `can_manage_organization`. Every registered admin model with a link to an
Organization (a foreign key to it, or to a model that has one: a Post, an Area) is enumerated,
so a new model is covered as soon as it is registered; one that lets a non-admin write such a
link without the check fails."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.test import Client, RequestFactory

from maslikhat.directory.models import Membership, Organization

pytestmark = pytest.mark.django_db


def _org_links(model: type[models.Model]) -> list[tuple[str, tuple[str, ...]]]:
    links: list[tuple[str, tuple[str, ...]]] = []
    for field in model._meta.get_fields():
        if not isinstance(field, models.ForeignKey):
            continue
        if field.related_model is Organization:
            links.append((field.name, ()))
            continue
        via = tuple(
            f.name
            for f in field.related_model._meta.get_fields()  # type: ignore[union-attr]
            if isinstance(f, models.ForeignKey) and f.related_model is Organization
        )
        if via:
            links.append((field.name, via))
    return links


@pytest.fixture
def scope(astana: dict[str, Any]) -> dict[str, Any]:
    """A district maslikhat under Astana's (not Astana's staff to run), with a post, and accounts
    of Astana's staff and deputy."""
    from maslikhat.directory.choices import AreaKind, OrganizationKind
    from maslikhat.directory.services import area_upsert
    from tests.factories import PostFactory, UserFactory

    district = Organization.objects.create(
        slug="kz-71-test-district",
        kind=OrganizationKind.DISTRICT_MASLIKHAT,
        parent=astana["maslikhat"],
        name_en="A district maslikhat",
        name_kk="Аудан мәслихаты",
        name_ru="Районный маслихат",
        founding_date=date(2000, 1, 1),
    )
    area_upsert(
        actor=None,
        code="KZ-71-D01",
        defaults={
            "kind": AreaKind.CONSTITUENCY,
            "parent": astana["region"],
            "body": district,
            "number": 1,
            "name_kk": "№1 аудан округі",
            "name_ru": "Районный округ №1",
            "name_en": "District constituency No. 1",
            "boundary": astana["region"].boundary,
            "valid_from": date(2023, 3, 19),
        },
    )
    deputy_user = UserFactory(username="scope-deputy", is_staff=True)
    astana["deputy"].user = deputy_user
    astana["deputy"].save()
    return {
        **astana,
        "district": district,
        "district_post": PostFactory(organization=district, label_en="District deputy"),
        "users": [astana["staff_user"], deputy_user],
    }


def _foreign(related: type[models.Model], via: tuple[str, ...], scope: dict[str, Any]) -> Any:
    """A row the link may not point at: the district, or a row tied to it."""
    if related is Organization:
        return scope["district"]
    row = related._default_manager.filter(**{f"{via[0]}": scope["district"]}).first()
    if row is None:
        row = (
            related._default_manager.exclude(**{f"{via[0]}__in": [scope["maslikhat"], scope["apparatus"]]})
            .filter(**{f"{via[0]}__isnull": False})
            .first()
        )
    assert row is not None, f"no sample {related.__name__} outside the user's scope"
    return row


def _request(user: Any) -> Any:
    request = RequestFactory().get("/en/admin/")
    request.user = user
    return request


def test_every_admin_model_with_an_organization_link_checks_the_target(scope: dict[str, Any]) -> None:
    linked = [(model, ma) for model, ma in admin.site._registry.items() if _org_links(model)]
    assert {m.__name__ for m, _ in linked} >= {"Membership", "Post", "Organization", "Appeal", "Publication"}
    unchecked = []
    for model, ma in linked:
        for user in scope["users"]:
            request = _request(user)
            can_add = ma.has_add_permission(request)
            changeable = [o for o in ma.get_queryset(request)[:20] if ma.has_change_permission(request, o)]
            if not can_add and not changeable:
                continue  # read-only for this account: nothing can be written
            form = ma.get_form(request, None if can_add else changeable[0])()
            for field, via in _org_links(model):
                related: Any = model._meta.get_field(field).related_model
                foreign = _foreign(related, via, scope)
                # the form does not offer the foreign target
                if field in form.fields and field not in getattr(ma, "reference_fields", ()):
                    choices = form.fields[field].queryset  # type: ignore[attr-defined]
                    if choices.filter(pk=foreign.pk).exists():
                        unchecked.append(f"{model.__name__}.{field} offers {foreign} to {user}")
                if field in getattr(ma, "reference_fields", ()):
                    continue
                # and save_model refuses it, new or changed, writing nothing
                targets = ([model()] if can_add else []) + changeable[:1]
                for obj in targets:
                    before = model._default_manager.count()
                    setattr(obj, field, foreign)
                    try:
                        with transaction.atomic():
                            ma.save_model(request, obj, form, change=obj.pk is not None)
                        unchecked.append(f"{model.__name__}.{field} saved {foreign} for {user}")
                    except PermissionDenied:
                        pass
                    except Exception as exc:  # noqa: BLE001 - a missing required field is no check
                        unchecked.append(f"{model.__name__}.{field}: {type(exc).__name__} for {user}")
                    assert model._default_manager.count() == before
                    if obj.pk:
                        obj.refresh_from_db()
    assert unchecked == []


def test_regional_staff_cannot_give_themselves_a_staff_membership_of_a_district(
    scope: dict[str, Any],
) -> None:
    from maslikhat.directory.choices import PostRole
    from maslikhat.directory.permissions import managed_body_ids

    # given Astana's staff in the back office
    user = scope["staff_user"]
    client = Client()
    client.force_login(user)
    before = Membership.objects.count()
    # when they post a staff membership of the district maslikhat for their own person
    response = client.post(
        "/en/admin/directory/membership/add/",
        {
            "person": user.person.pk,
            "organization": scope["district"].pk,
            "role": PostRole.STAFF,
            "election_method": "employed",
            "start_date": "2026-01-01",
        },
    )
    # then the form refuses the organization and nothing changed
    assert response.status_code == 200
    assert "organization" in response.context["adminform"].form.errors
    assert Membership.objects.count() == before
    assert scope["district"].pk not in managed_body_ids(user)


def test_the_querysets_follow_can_manage_organization(scope: dict[str, Any]) -> None:
    from maslikhat.directory.permissions import can_manage_organization, manageable_organizations_q

    for user in scope["users"]:
        by_query = set(
            Organization.objects.filter(manageable_organizations_q(user)).values_list("pk", flat=True)
        )
        by_function = {o.pk for o in Organization.objects.all() if can_manage_organization(user, o)}
        assert by_query == by_function
    assert scope["apparatus"].pk in set(
        Organization.objects.filter(manageable_organizations_q(scope["staff_user"])).values_list(
            "pk", flat=True
        )
    )
