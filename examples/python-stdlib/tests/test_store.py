from pastebin.store import Store


def test_add_and_get():
    store = Store()
    paste_id = store.add("hello")
    assert store.get(paste_id) == "hello"
    assert store.get("missing") is None
    assert len(store) == 1
