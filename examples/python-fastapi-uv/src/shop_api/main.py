from fastapi import FastAPI

from shop_api import __version__
from shop_api.routes import items

api = FastAPI(title="Shop API", version=__version__)
api.include_router(items.router, prefix="/items")


@api.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok", "version": __version__}
