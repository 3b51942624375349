from django.shortcuts import get_object_or_404, render

from .models import Article


def front_page(request):
    return render(request, "articles/front_page.html", {"articles": Article.objects.all()[:20]})


def article(request, slug):
    return render(request, "articles/article.html", {"article": get_object_or_404(Article, slug=slug)})
