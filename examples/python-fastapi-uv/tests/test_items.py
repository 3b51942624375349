from fastapi.testclient import TestClient

from shop_api.main import api

client = TestClient(api)


def test_health():
    assert client.get("/health").json()["status"] == "ok"


def test_put_and_get():
    client.put("/items/A1", json={"name": "Mug", "quantity": 3, "price_cents": 1200})
    assert client.get("/items/A1").json()["quantity"] == 3
