from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from shop_api.inventory import Item, inventory
from shop_api.settings import settings

router = APIRouter(tags=["items"])


class ItemIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    quantity: int = Field(ge=0)
    price_cents: int = Field(ge=0)


@router.put("/{sku}")
def put_item(sku: str, body: ItemIn) -> dict:
    item = inventory.put(Item(sku=sku, **body.model_dump()))
    return {"sku": item.sku, "name": item.name, "quantity": item.quantity}


@router.get("/{sku}")
def get_item(sku: str) -> dict:
    item = inventory.get(sku)
    if item is None:
        raise HTTPException(status_code=404, detail="unknown SKU")
    return {"sku": item.sku, "name": item.name, "quantity": item.quantity,
            "price": f"{item.price_cents / 100:.2f} {settings.currency}"}


@router.get("/")
def low_stock() -> list[dict]:
    return [{"sku": i.sku, "quantity": i.quantity} for i in inventory.low_stock(settings.low_stock_threshold)]
