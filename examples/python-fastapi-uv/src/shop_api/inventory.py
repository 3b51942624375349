from dataclasses import dataclass, field
from threading import Lock


@dataclass
class Item:
    sku: str
    name: str
    quantity: int
    price_cents: int


@dataclass
class Inventory:
    items: dict[str, Item] = field(default_factory=dict)
    lock: Lock = field(default_factory=Lock)

    def put(self, item: Item) -> Item:
        with self.lock:
            self.items[item.sku] = item
            return item

    def get(self, sku: str) -> Item | None:
        with self.lock:
            return self.items.get(sku)

    def low_stock(self, threshold: int) -> list[Item]:
        with self.lock:
            return sorted((i for i in self.items.values() if i.quantity <= threshold), key=lambda i: i.sku)


inventory = Inventory()
