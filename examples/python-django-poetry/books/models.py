from django.db import models


class Account(models.Model):
    name = models.CharField(max_length=200, unique=True)

    def __str__(self):
        return self.name


class Entry(models.Model):
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    booked_on = models.DateField()
    memo = models.CharField(max_length=300, blank=True)
    amount_cents = models.BigIntegerField()

    class Meta:
        ordering = ["-booked_on", "-id"]
