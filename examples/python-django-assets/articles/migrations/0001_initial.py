from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Article",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("headline", models.CharField(max_length=250)),
                ("slug", models.SlugField(unique=True)),
                ("body", models.TextField()),
                ("published_at", models.DateTimeField(db_index=True)),
            ],
            options={"ordering": ["-published_at"]},
        ),
    ]
