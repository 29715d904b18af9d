"""The connection lifecycle: statuses, and which party may take which action from where.

    action             from                              to           by
    accept             proposed                          accepted     the side that did not open
    decline            proposed                          declined     the side that did not open
    withdraw           proposed, accepted                withdrawn    the side that opened
    start-negotiation  accepted                          negotiating  either party
    mark-contracted    negotiating                       contracted   either party
    close              accepted, negotiating, contracted closed       either party

A connection is *open* (``open_key`` = 1, at most one per need/offer pair) until it is
declined, withdrawn or closed; then ``open_key`` is NULL and the pair may be connected again.
"""

from dataclasses import dataclass
from typing import Literal

PROPOSED = "proposed"
ACCEPTED = "accepted"
DECLINED = "declined"
WITHDRAWN = "withdrawn"
NEGOTIATING = "negotiating"
CONTRACTED = "contracted"
CLOSED = "closed"
STATUSES = (PROPOSED, ACCEPTED, DECLINED, WITHDRAWN, NEGOTIATING, CONTRACTED, CLOSED)
ENDED = frozenset({DECLINED, WITHDRAWN, CLOSED})

Who = Literal["recipient", "opener", "party"]


@dataclass(frozen=True)
class Action:
    """An action, the statuses it may start from, where it leads and who may take it."""

    name: str
    sources: frozenset[str]
    target: str
    who: Who


ACTIONS: dict[str, Action] = {
    action.name: action
    for action in (
        Action("accept", frozenset({PROPOSED}), ACCEPTED, "recipient"),
        Action("decline", frozenset({PROPOSED}), DECLINED, "recipient"),
        Action("withdraw", frozenset({PROPOSED, ACCEPTED}), WITHDRAWN, "opener"),
        Action("start-negotiation", frozenset({ACCEPTED}), NEGOTIATING, "party"),
        Action("mark-contracted", frozenset({NEGOTIATING}), CONTRACTED, "party"),
        Action("close", frozenset({ACCEPTED, NEGOTIATING, CONTRACTED}), CLOSED, "party"),
    )
}
