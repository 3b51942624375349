from django.db import models


class Article(models.Model):
    headline = models.CharField(max_length=250)
    slug = models.SlugField(unique=True)
    body = models.TextField()
    published_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-published_at"]

    def __str__(self):
        return self.headline
