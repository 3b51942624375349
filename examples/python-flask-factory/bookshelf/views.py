from flask import Blueprint, abort, jsonify, render_template, request

from .models import Book, db

bp = Blueprint("books", __name__)


@bp.get("/healthz")
def healthz():
    db.session.execute(db.select(1))
    return {"status": "ok"}


@bp.get("/")
def index():
    books = db.session.scalars(db.select(Book).order_by(Book.title)).all()
    return render_template("index.html", books=books)


@bp.post("/books")
def add_book():
    data = request.get_json(silent=True) or {}
    if not data.get("title") or not data.get("author"):
        abort(400, "title and author are required")
    book = Book(title=data["title"], author=data["author"])
    db.session.add(book)
    db.session.commit()
    return jsonify(id=book.id), 201


@bp.post("/books/<int:book_id>/read")
def mark_read(book_id):
    book = db.get_or_404(Book, book_id)
    book.read = True
    db.session.commit()
    return "", 204
