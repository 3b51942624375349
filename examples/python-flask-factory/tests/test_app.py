from bookshelf import create_app


def test_healthz():
    client = create_app({"TESTING": True}).test_client()
    assert client.get("/healthz").json == {"status": "ok"}
