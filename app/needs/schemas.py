"""Need bodies."""

from datetime import date

from app.listings.schemas import ListingIn, ListingOut, ListingPatch, Trl, Vnd


class NeedIn(ListingIn):
    desired_trl_min: Trl | None = None
    budget_max_vnd: Vnd | None = None
    deadline: date | None = None
    confidential: bool = False


class NeedPatch(ListingPatch):
    desired_trl_min: Trl | None = None
    budget_max_vnd: Vnd | None = None
    deadline: date | None = None
    confidential: bool | None = None


class NeedOut(ListingOut):
    desired_trl_min: int | None
    budget_max_vnd: int | None
    deadline: date | None
    confidential: bool
