from __future__ import annotations

from maslikhat.demo.news_demo import create_demo_news
from maslikhat.news.models import Publication, Tag


def test_demo_news_are_created_once_and_some_lack_english(reference):
    assert create_demo_news(seed=7) == 30
    assert create_demo_news(seed=7) == 0
    assert Publication.objects.filter(is_demo=True, status="published").count() == 30
    assert Publication.objects.filter(is_demo=True, title_en="").count() == 15
    assert Tag.objects.filter(code="local-self-government-reform").exists()
    assert Publication.objects.filter(body__kind="national_council").count() == 6
