from django.db import migrations

TOPICS = [
    ("utilities", "Коммуналдық қызметтер", "Коммунальные услуги", "Utilities"),
    ("roads", "Жолдар және көлік", "Дороги и транспорт", "Roads and transport"),
    ("housing", "Тұрғын үй", "Жилье", "Housing"),
    ("education", "Білім беру", "Образование", "Education"),
    ("health", "Денсаулық сақтау", "Здравоохранение", "Health"),
    ("land", "Жер қатынастары", "Земельные отношения", "Land"),
    ("social", "Әлеуметтік қолдау", "Социальная поддержка", "Social support"),
    ("ecology", "Экология", "Экология", "Ecology"),
    ("other", "Басқа", "Другое", "Other"),
]


def add_topics(apps, schema_editor):
    Topic = apps.get_model("appeals", "Topic")
    for position, (code, kk, ru, en) in enumerate(TOPICS):
        Topic.objects.update_or_create(
            code=code, defaults={"name_kk": kk, "name_ru": ru, "name_en": en, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_initial")]
    operations = [migrations.RunPython(add_topics, migrations.RunPython.noop)]
