from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHOP_")

    low_stock_threshold: int = 5
    currency: str = "EUR"


settings = Settings()
