from django.db.models import Sum
from django.shortcuts import render

from .models import Account


def balances(request):
    accounts = Account.objects.annotate(balance=Sum("entries__amount_cents")).order_by("name")
    return render(request, "books/balances.html", {"accounts": accounts})
