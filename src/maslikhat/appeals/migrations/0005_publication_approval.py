"""Publication needs staff approval of redacted texts.

`is_public` (set by the citizen) becomes `publication_requested`, on the same column: an appeal
marked public before this migration counts as "publication requested", not approved (its
`published_at` is empty), so nothing of it stays on a public page until staff approve.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0004_open_due_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # the column keeps its name and its values: only the model's field is renamed
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField(
                    model_name="appeal", old_name="is_public", new_name="publication_requested"
                ),
                migrations.AlterField(
                    model_name="appeal",
                    name="publication_requested",
                    field=models.BooleanField(
                        db_column="is_public", default=False, verbose_name="publication requested"
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="appeal",
            name="public_text",
            field=models.TextField(blank=True, db_default="", verbose_name="published text of the appeal"),
        ),
        migrations.AddField(
            model_name="appeal",
            name="public_answer_text",
            field=models.TextField(blank=True, db_default="", verbose_name="published text of the answer"),
        ),
        migrations.AddField(
            model_name="appeal",
            name="published_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="published at"),
        ),
        migrations.AddField(
            model_name="appeal",
            name="published_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="publication approved by",
            ),
        ),
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(
                condition=models.Q(("published_at__isnull", False)),
                fields=["body", "-published_at"],
                name="appeal_published_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="appeal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("published_at__isnull", True),
                    models.Q(
                        ("publication_requested", True),
                        models.Q(("public_text", ""), _negated=True),
                        models.Q(("public_answer_text", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="appeal_published_requested",
            ),
        ),
    ]
