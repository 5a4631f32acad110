from maslikhat.appeals.models import Appeal, AppealStats
from maslikhat.appeals.selectors import body_figures
from maslikhat.demo.appeals_demo import generate_demo_appeals


def test_demo_appeals_are_marked_spread_and_idempotent(astana):
    # given the reference data and one Astana deputy, when 60 demo appeals are generated
    made = generate_demo_appeals(seed=3, count=60)
    # then they exist, are marked demo, in several states, and a second run adds nothing
    assert made == 60
    assert Appeal.objects.filter(is_demo=True, complaint_about__isnull=True).count() == 60
    assert Appeal.objects.exclude(is_demo=True).count() == 0
    assert len(set(Appeal.objects.values_list("status", flat=True))) >= 4
    assert generate_demo_appeals(seed=3, count=60) == 0
    # and the rollups agree with the appeals
    body_ids = set(Appeal.objects.values_list("body_id", flat=True))
    total = sum(body_figures(body_id=b).received for b in body_ids)
    assert total == Appeal.objects.count()
    assert sum(AppealStats.objects.values_list("received", flat=True)) == Appeal.objects.count()


def test_demo_appeals_are_deterministic(astana):
    generate_demo_appeals(seed=5, count=20)
    first = list(
        Appeal.objects.order_by("registration_number").values_list(
            "registration_number", "status", "topic__code"
        )
    )
    Appeal.objects.all().delete()
    from maslikhat.appeals.models import RegistrationCounter

    RegistrationCounter.objects.all().delete()
    generate_demo_appeals(seed=5, count=20)
    second = list(
        Appeal.objects.order_by("registration_number").values_list(
            "registration_number", "status", "topic__code"
        )
    )
    assert first == second
