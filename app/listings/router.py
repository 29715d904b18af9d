"""The REST resource of a listing kind: CRUD, lifecycle transitions and ranked lists.

One factory serves offers and needs, whose routes are identical but for their bodies.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response

from app.auth.actor import Actor
from app.concurrency import etag, parse_if_match
from app.deps import CurrentActor, DepartmentActor, MaybeActor, SessionDep, SettingsDep
from app.listings import service
from app.listings.lifecycle import STATUSES
from app.listings.schemas import FieldCode, ListingOut, ProvinceCode, RejectIn, TrlQuery
from app.listings.spec import ListingSpec
from app.matching.search import SearchFilters, ranked_page
from app.notifications.service import notify_published
from app.schemas import LimitParam, OffsetParam, Page

IfMatch = Annotated[str | None, Header(description="ETag from a previous read")]
StatusFilter = Annotated[str | None, Query(pattern="^(" + "|".join(STATUSES) + ")$")]


def build_router(spec: ListingSpec, *, prefix: str, tag: str) -> APIRouter:
    """Routes for one listing kind under ``prefix``."""
    router = APIRouter(prefix=prefix, tags=[tag])
    model = spec.model
    kind = spec.kind
    a_kind = f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"
    Out = spec.out_schema
    In = spec.create_schema
    Patch = spec.patch_schema

    def respond(session: Any, actor: Actor | None, row: Any, response: Response) -> ListingOut:
        response.headers["ETag"] = etag(row.version)
        return spec.to_out(session, actor, row)

    @router.get(
        "",
        response_model=Page[Out],  # type: ignore[valid-type]
        summary=f"List {kind}s",
        description=f"Published {kind}s for everyone; owners also see their own in every status, "
        "the department sees all. `q` ranks by the matcher's text pipeline (diacritics optional).",
    )
    def list_listings(
        request: Request,
        actor: MaybeActor,
        session: SessionDep,
        q: Annotated[str | None, Query(max_length=500)] = None,
        field_code: FieldCode | None = None,
        province_code: ProvinceCode | None = None,
        status: StatusFilter = None,
        organization_id: Annotated[str | None, Query(max_length=36)] = None,
        trl_min: Annotated[TrlQuery | None, Query(description="offers only")] = None,
        limit: LimitParam = 20,
        offset: OffsetParam = 0,
    ) -> Any:
        extra = []
        if trl_min is not None and hasattr(model, "trl"):
            extra.append(model.trl >= trl_min)
        # Filtering by owner must not reveal who stands behind a confidential need.
        entitled = actor is not None and actor.may_manage(organization_id)
        if organization_id and hasattr(model, "confidential") and not entitled:
            extra.append(model.confidential.is_(False))
        query = service.filtered_query(
            model,
            actor=actor,
            field_code=field_code,
            province_code=province_code,
            status=status,
            organization_id=organization_id,
            extra=extra,
        )
        if q and q.strip():
            filters = SearchFilters(
                field_code=field_code,
                province_code=province_code,
                trl_min=trl_min if hasattr(model, "trl") else None,
                status=status,
                organization_id=organization_id,
            )
            ranked, total = ranked_page(
                session,
                request.app.state.live_index,
                model,
                query,
                q=q,
                filters=filters,
                unindexed=actor is not None,
                limit=limit,
                offset=offset,
            )
            outs = spec.to_out_many(session, actor, [row for row, _ in ranked])
            items = [
                out.model_dump() | {"score": round(score, 4)}
                for out, (_, score) in zip(outs, ranked, strict=True)
            ]
        else:
            rows, total = service.page(session, model, query, limit=limit, offset=offset)
            items = [out.model_dump() for out in spec.to_out_many(session, actor, rows)]
        return {"items": items, "total": total, "limit": limit, "offset": offset}

    @router.post(
        "",
        status_code=201,
        response_model=Out,
        summary=f"Create {a_kind}",
        description=f"A new {kind} in status `draft`, owned by the caller's organisation.",
    )
    def create_listing(
        body: In,  # type: ignore[valid-type]
        actor: CurrentActor,
        session: SessionDep,
        response: Response,
    ) -> Any:
        row = service.create(session, model, actor=actor, body=body, check=spec.check)
        response.headers["Location"] = f"/api/v1{prefix}/{row.id}"
        return respond(session, actor, row, response)

    @router.get(
        "/{listing_id}",
        response_model=Out,
        summary=f"Read {a_kind}",
        description=f"One {kind} with its `ETag`; another organisation's unpublished {kind} "
        "is a 404.",
    )
    def get_listing(
        listing_id: str, actor: MaybeActor, session: SessionDep, response: Response
    ) -> Any:
        row = service.get_visible(session, model, actor=actor, listing_id=listing_id)
        return respond(session, actor, row, response)

    @router.patch(
        "/{listing_id}",
        response_model=Out,
        summary=f"Edit {a_kind}",
        description="A partial update by the owner; send `If-Match` with the last `ETag`. A "
        "substantive edit of a published listing returns it to review when review is on.",
    )
    def patch_listing(
        listing_id: str,
        body: Patch,  # type: ignore[valid-type]
        actor: CurrentActor,
        session: SessionDep,
        settings: SettingsDep,
        response: Response,
        if_match: IfMatch = None,
    ) -> Any:
        row = service.update(
            session,
            model,
            actor=actor,
            listing_id=listing_id,
            body=body,
            if_match=parse_if_match(if_match),
            check=spec.check,
            review_required=settings.review_required,
        )
        return respond(session, actor, row, response)

    @router.delete(
        "/{listing_id}",
        status_code=204,
        summary=f"Delete {a_kind}",
        description=f"Remove {a_kind} (its owner, or the department).",
    )
    def delete_listing(
        listing_id: str, actor: CurrentActor, session: SessionDep, if_match: IfMatch = None
    ) -> Response:
        service.delete(
            session, model, actor=actor, listing_id=listing_id, if_match=parse_if_match(if_match)
        )
        return Response(status_code=204)

    @router.post(
        "/{listing_id}/submit",
        response_model=Out,
        summary=f"Submit {a_kind} for review",
        description="`draft`/`rejected` → `pending_review`, or straight to `published` when "
        "review is off. Only a verified organisation's listings can be submitted (409).",
    )
    def submit_listing(
        listing_id: str,
        request: Request,
        actor: CurrentActor,
        session: SessionDep,
        settings: SettingsDep,
        response: Response,
    ) -> Any:
        row = service.submit(
            session,
            model,
            actor=actor,
            listing_id=listing_id,
            review_required=settings.review_required,
        )
        notify_published(session, request.app.state.live_index, row)
        return respond(session, actor, row, response)

    @router.post(
        "/{listing_id}/publish",
        response_model=Out,
        summary=f"Publish {a_kind}",
        description="The department approves a listing under review: `pending_review` → "
        "`published`.",
    )
    def publish_listing(
        listing_id: str,
        request: Request,
        actor: DepartmentActor,
        session: SessionDep,
        response: Response,
    ) -> Any:
        row = service.publish(session, model, listing_id=listing_id)
        notify_published(session, request.app.state.live_index, row)
        return respond(session, actor, row, response)

    @router.post(
        "/{listing_id}/reject",
        response_model=Out,
        summary=f"Reject {a_kind}",
        description="The department sends a listing back with a `reason`.",
    )
    def reject_listing(
        listing_id: str,
        body: RejectIn,
        actor: DepartmentActor,
        session: SessionDep,
        response: Response,
    ) -> Any:
        row = service.reject(session, model, listing_id=listing_id, reason=body.reason)
        return respond(session, actor, row, response)

    @router.post(
        "/{listing_id}/archive",
        response_model=Out,
        summary=f"Archive {a_kind}",
        description="Withdraw a listing from the catalogue (its owner, or the department).",
    )
    def archive_listing(
        listing_id: str, actor: CurrentActor, session: SessionDep, response: Response
    ) -> Any:
        row = service.archive(session, model, actor=actor, listing_id=listing_id)
        return respond(session, actor, row, response)

    return router
