"""factory_boy factories for the directory and accounts, and values that several test modules
share (`valid_iin`, the `HOSTILE` name and its `ESCAPES`)."""

from __future__ import annotations

from datetime import date

import factory
from django.contrib.auth import get_user_model

from maslikhat.core.iin import check_digit
from maslikhat.directory.choices import AreaKind, ElectionMethod, OrganizationKind, PostRole
from maslikhat.directory.models import Area, Membership, Organization, Person, Post

# A name with every character HTML would escape, and those escapes: plain-text emails keep the
# name as written and contain none of them.
HOSTILE = 'O\'Brien & Sons <Ltd> "quoted"'
ESCAPES = ("&amp;", "&#x27;", "&#39;", "&lt;", "&gt;", "&quot;")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("test-password")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    code = factory.Sequence(lambda n: f"T-{n:04d}")
    kind = AreaKind.DISTRICT
    name_kk = factory.Sequence(lambda n: f"Аудан {n}")
    name_ru = factory.Sequence(lambda n: f"Район {n}")
    name_en = factory.Sequence(lambda n: f"District {n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    slug = factory.Sequence(lambda n: f"org-{n}")
    kind = OrganizationKind.DISTRICT_MASLIKHAT
    name_kk = factory.Sequence(lambda n: f"Мәслихат {n}")
    name_ru = factory.Sequence(lambda n: f"Маслихат {n}")
    name_en = factory.Sequence(lambda n: f"Maslikhat {n}")
    founding_date = date(2023, 3, 19)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name_kk = factory.Sequence(lambda n: f"Дәулет Тестов {n}")
    name_ru = factory.Sequence(lambda n: f"Даулет Тестов {n}")
    name_en = factory.Sequence(lambda n: f"Daulet Testov {n}")
    sort_name = factory.Sequence(lambda n: f"Testov {n:04d}")


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    organization = factory.SubFactory(OrganizationFactory)
    role = PostRole.CONSTITUENCY_DEPUTY
    label_kk = "Депутат"
    label_ru = "Депутат"
    label_en = "Deputy"
    start_date = date(2023, 3, 29)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = PostRole.CONSTITUENCY_DEPUTY
    election_method = ElectionMethod.SINGLE_MANDATE
    start_date = date(2023, 3, 29)


def valid_iin(first_eleven: str = "85031530012") -> str:
    """An IIN whose check digit is right (the first eleven digits as given)."""
    digit = check_digit(first_eleven)
    assert digit is not None
    return first_eleven + str(digit)
