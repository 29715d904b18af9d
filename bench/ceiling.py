"""The smallest FastAPI endpoint: constant JSON, the ceiling ``bench/http_load.py`` compares to."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/")
def constant() -> dict[str, bool]:
    return {"ok": True}
