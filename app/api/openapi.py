"""The OpenAPI 3.1 description of the API. Tests check it against the routes."""
from __future__ import annotations

from typing import Any

from app import costing
from app.costing.fit import BOUNDS, BUDGET_MAX
from app.costing.inputs import (
    ACTIVITIES_MAX,
    CONTRIBUTORS_MAX,
    DRAWS_MAX,
    DRAWS_MIN,
    PEOPLE_MAX,
    SEED_MAX,
    SESSIONS_MAX,
)
from app.database import MAX_ID, MAX_PAGE
from app.versions.documents import DOCX

_ERRORS = {"description": "Errors, each naming the field",
           "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}}
_UNAUTHORISED = {"description": "Missing or invalid bearer token",
    "content": _ERRORS["content"]}
_NOT_FOUND = {"description": "No such bid or version, or not one of your teams'",
              "content": _ERRORS["content"]}


_METHOD_NOT_ALLOWED = {
    "description": "This path does not take that method; Allow lists the ones it takes",
    "headers": {"Allow": {"description": "The methods this path takes, like 'GET, HEAD'",
                          "schema": {"type": "string"}}},
    "content": _ERRORS["content"]}
_TOO_LARGE = {"description": "The body is larger than the service accepts (MAX_CONTENT_LENGTH)",
              "content": _ERRORS["content"]}
_TOO_MANY = {"description": "The token's rate limit is used up (API_RATE_LIMIT): wait and retry",
             "headers": {"Retry-After": {"schema": {"type": "string"}}},
             "content": _ERRORS["content"]}


def _responses(**by_status: dict[str, Any]) -> dict[str, Any]:
    """An operation's responses plus those every operation may give."""
    return {**{status.lstrip("_"): response for status, response in by_status.items()},
            "405": _METHOD_NOT_ALLOWED, "429": _TOO_MANY}


def _json(ref: str, description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


def _id(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}


def _schemas(rate_cards: list[str] | None = None) -> dict[str, Any]:
    money = {"type": "number", "description": "Pounds, two decimals"}
    nullable_date = {"type": ["string", "null"], "format": "date"}
    text_or_null = {"type": ["string", "null"]}
    amounts = {"type": "object", "additionalProperties": money,
               "description": "Pounds by category or stage"}
    timeline_item = {"type": "object", "required": ["kind", "label"], "properties": {
        "kind": {"type": "string"}, "label": {"type": "string"}, "stage": text_or_null,
        "start_week": {"type": "number"}, "end_week": {"type": "number"},
        "role": text_or_null, "activity_index": {"type": ["integer", "null"]}}}
    uncertainty = {"type": "object", "required": ["draws", "mean", "p50", "p80"],
                   "properties": {name: {"type": "number"} for name in (
                       "draws", "seed", "mean", "p10", "p50", "p80", "p90",
                       "recommended_contingency_gbp")}}
    warning = {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string"}, "kind": text_or_null, "message": {"type": "string"},
        "advice": text_or_null, "details": {"description": "What the warning is about"}}}
    rate_card_ref = {"type": "object", "required": ["id"], "properties": {
        "id": {"type": "string"}, "label": text_or_null, "effective_from": text_or_null}}
    version_summary = {"type": "object", "properties": {
        "number": {"type": "integer"}, "status": {"type": "string"},
        "level": {"type": ["string", "null"], "enum": [*costing.LEVELS, None]},
        "total_gbp": {"type": ["number", "null"]},
        "budget_to_request_gbp": {"type": ["number", "null"], "description":
                                  "Total plus the recommended contingency (the P80 budget)"},
        "created_at": {"type": "string"}}}
    bid = {"type": "object", "required": ["id", "title", "client", "value_gbp", "status"],
           "properties": {
               "id": {"type": "integer"}, "title": {"type": "string"},
               "client": {"type": "string"}, "reference": {"type": "string"},
               "value_gbp": money, "start_date": {"type": "string", "format": "date"},
               "duration_months": {"type": "integer"},
               "scope": {"type": "string", "enum": list(costing.SCOPES)},
               "work_type": {"type": "string", "enum": list(costing.WORK_TYPES)},
               "client_requires_coproduction": {"type": "boolean"}, "deadline": nullable_date,
               "status": {"type": "string"}, "outcome": {"type": "string"},
               "archived": {"type": "boolean"}, "team": {"type": "string"},
               "latest_version": {"oneOf": [{"$ref": "#/components/schemas/VersionSummary"},
                                            {"type": "null"}]}}}
    return {
        "Errors": {"type": "object", "required": ["errors"], "properties": {"errors": {
            "type": "array", "items": {"type": "object", "required": ["field", "message"],
                                       "properties": {"field": {"type": ["string", "null"]},
                                                      "message": {"type": "string"},
                                                      "code": {"type": "string"}}}}}},
        "VersionSummary": version_summary,
        "Bid": bid,
        "BidDetail": {"allOf": [{"$ref": "#/components/schemas/Bid"}, {
            "type": "object", "properties": {"versions": {
                "type": "array", "items": {"$ref": "#/components/schemas/VersionSummary"}}}}]},
        "BidPage": {"type": "object", "required": ["bids", "page", "pages", "total"],
                    "properties": {"bids": {"type": "array",
                                            "items": {"$ref": "#/components/schemas/Bid"}},
                                   "page": {"type": "integer"}, "pages": {"type": "integer"},
                                   "total": {"type": "integer"}}},
        "Version": {"type": "object", "required": ["number", "status", "inputs", "estimate"],
                    "properties": {
                        "bid_id": {"type": "integer"}, "number": {"type": "integer"},
                        "status": {"type": "string"}, "level": {"type": ["string", "null"]},
                        "rate_card": {"type": ["string", "null"]},
                        "created_by": {"type": ["string", "null"]},
                        "created_at": {"type": "string"},
                        "inputs": {"$ref": "#/components/schemas/Plan"},
                        "estimate": {"oneOf": [{"$ref": "#/components/schemas/Estimate"},
                                               {"type": "null"}]},
                        "approval": {"oneOf": [{"type": "null"}, {"type": "object", "properties": {
                            "approved_by": {"type": ["string", "null"]},
                            "approved_at": {"type": "string"},
                            "pdf_sha256": {"type": ["string", "null"]}}}]}}},
        "Plan": _plan_schema(rate_cards),
        "Estimate": {"type": "object", "description": "The costing contract's estimate document.",
                     "required": ["total_gbp", "percent_of_bid", "by_category", "by_stage",
                                  "lines", "time", "uncertainty", "recommendation", "warnings",
                                  "rate_card"],
                     "properties": {"total_gbp": money, "percent_of_bid": {"type": "number"},
                                    "budget_to_request_gbp": money,
                                    "by_category": amounts, "by_stage": amounts,
                                    "by_year": {"type": "object",
                                                "additionalProperties": money},
                                    "lines": {"type": "array", "items": {
                                        "$ref": "#/components/schemas/EstimateLine"}},
                                    "time": {"type": "object",
                                             "additionalProperties": {"type": "number"}},
                                    "duration_weeks": {"type": "number"},
                                    "timeline": {"type": "array", "items": timeline_item},
                                    "uncertainty": uncertainty,
                                    "recommendation": {
                                        "$ref": "#/components/schemas/Recommendation"},
                                    "floor": {"$ref": "#/components/schemas/Floor"},
                                    "warnings": {"type": "array", "items": warning},
                                    "rate_card": rate_card_ref,
                                    "level": {"enum": list(costing.LEVELS)},
                                    "contributors": {"type": "integer", "minimum": 0},
                                    "inputs": _costed_inputs_schema()}},
        "EstimateLine": {"type": "object",
                         "required": ["category", "description", "quantity", "unit_cost_gbp",
                                      "amount_gbp"],
                         "properties": {
                             "category": {"type": "string"}, "stage": text_or_null,
                             "role": text_or_null, "description": {"type": "string"},
                             "quantity": {"type": "number"}, "unit": text_or_null,
                             "unit_cost_gbp": money, "amount_gbp": money,
                             "year": {"type": ["integer", "null"]},
                             "justification": text_or_null,
                             "activity_index": {"type": ["integer", "null"]},
                             "sources": {"type": "array", "items": {"type": "string"}}}},
    }


def _costed_inputs_schema() -> dict[str, Any]:
    """``estimate.inputs``: the plan as costed, every default filled in (estimates stored
    before the engine returned it have none)."""
    line_fields = ["role", "people", "sessions", "hours_per_session", "prep_hours_per_session",
                   "stage", "start_week", "mode", "travel", "start_time", "needs"]
    return {"type": "object",
            "description": "The plan as the engine costed it: each line's stage, start week, "
                           "travel, mode, hours, preparation, start time and needs with the "
                           "defaults filled in; contributor_count is the N used.",
            "required": ["level", "activities", "contributors", "contributor_count",
                         "accessible_formats", "options"],
            "properties": {
                "contributor_count": {"type": "integer", "minimum": 0},
                "activities": {"type": "array", "items": {
                    "type": "object", "required": line_fields, "properties": {
                        "needs": {"type": "object", "required": [
                            "bsl", "personal_assistants", "carers_needing_replacement_care"]},
                        "start_time": {"type": ["string", "null"]}}}}}}


def _plan_schema(rate_cards: list[str] | None = None) -> dict[str, Any]:
    """The costing contract's plan document (docs/costing-model.md, "JSON contract")."""
    def number(low: float, high: float, description: str, *, whole: bool = False,
               low_open: bool = False) -> dict[str, Any]:
        bound = {"exclusiveMinimum": low} if low_open else {"minimum": low}
        return {"type": "integer" if whole else "number", **bound, "maximum": high,
                "description": description}

    bid = {"type": "object", "required": ["value_gbp", "duration_months", "scope", "work_type"],
           "properties": {
               "title": {"type": ["string", "null"]}, "client": {"type": ["string", "null"]},
               "value_gbp": number(0, 1_000_000_000, "Pounds", low_open=True),
               "start_date": {"type": ["string", "null"], "format": "date"},
               "duration_months": number(1, 120, "Months"),
               "scope": {"enum": list(costing.SCOPES)},
               "work_type": {"enum": list(costing.WORK_TYPES)},
               "client_requires_coproduction": {"type": ["boolean", "null"]}}}
    needs = {"type": ["object", "null"], "properties": {
        "bsl": {"type": ["boolean", "null"]},
        "personal_assistants": number(0, PEOPLE_MAX, "Assistants per session", whole=True),
        "carers_needing_replacement_care": number(0, PEOPLE_MAX, "Carers", whole=True)}}
    activity = {"type": "object", "required": ["role", "people", "sessions"], "properties": {
        "role": {"enum": list(costing.ROLES)},
        "people": number(1, PEOPLE_MAX, "People on the line", whole=True),
        "sessions": number(1, SESSIONS_MAX, "Sessions each", whole=True),
        "hours_per_session": number(0.25, 12, "Hours (default: the role's)"),
        "prep_hours_per_session": number(0, 40, "Preparation hours (default: the role's)"),
        "stage": {"enum": [*costing.STAGES, None]},
        "start_week": {"type": ["number", "null"], "minimum": 0,
                       "description": "Weeks from the bid start, up to its duration"},
        "mode": {"enum": [*costing.MODES, None]},
        "travel": {"enum": [*costing.TRAVEL, None]},
        "start_time": {"type": ["string", "null"], "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"},
        "needs": needs}}
    return {"type": "object", "description": "The costing contract's plan document "
            "(docs/costing-model.md). Unknown keys are ignored.",
            "required": ["bid", "level"],
            # Level none needs a reason (40+ characters once trimmed); any other level
            # needs at least one activity line.
            "if": {"properties": {"level": {"const": "none"}}},
            "then": {"required": ["justification"], "properties": {"justification": {
                "type": "string", "pattern": "^\\s*\\S[\\s\\S]{38,}\\S\\s*$"}}},
            "else": {"required": ["activities"],
                     "properties": {"activities": {"type": "array", "minItems": 1}}},
            "properties": {
                "bid": bid, "level": {"enum": list(costing.LEVELS)},
                "justification": {"type": ["string", "null"]},
                "rate_card": {"enum": [*rate_cards, None]} if rate_cards else
                {"type": ["string", "null"]},
                "existing_network": {"type": ["boolean", "null"]},
                "contributors": {"type": ["integer", "null"], "minimum": 0,
                                 "maximum": CONTRIBUTORS_MAX},
                "activities": {"type": ["array", "null"], "maxItems": ACTIVITIES_MAX,
                               "items": activity},
                "accessible_formats": {"type": ["object", "null"], "properties": {
                    "easy_read_pages": number(0, 1_000, "Pages", whole=True)}},
                "options": {"type": ["object", "null"], "properties": {
                    "draws": number(DRAWS_MIN, DRAWS_MAX, "Simulation draws", whole=True),
                    "seed": number(0, SEED_MAX, "Random seed", whole=True)}}}}


def _fit_schemas() -> dict[str, Any]:
    """POST /fit: its request, its result and the parts they share."""
    money = {"type": "number", "description": "Pounds, two decimals"}
    return {
        "FitRequest": {
            "type": "object", "required": ["plan"],
            "description": "A plan and a budget: budget_gbp or budget_percent, not both.",
            "properties": {"plan": {"$ref": "#/components/schemas/Plan"},
                           "budget_gbp": {"type": "number", "minimum": 0,
                                          "maximum": BUDGET_MAX, "description": "Pounds"},
                           "budget_percent": {"type": "number", "minimum": 0, "maximum": 100,
                                              "description": "Percent of the bid value"}},
            "oneOf": [{"required": ["budget_gbp"]}, {"required": ["budget_percent"]}]},
        "FitChange": {"type": "object",
                      "required": ["activity_index", "field", "from", "to"],
                      "properties": {"activity_index": {"type": "integer", "minimum": 0},
                                     "field": {"enum": ["people", "sessions"]},
                                     "from": {"type": "integer", "minimum": 1},
                                     "to": {"type": "integer", "minimum": 1}}},
        "FitResult": {
            "type": "object", "required": ["plan", "estimate", "bound", "budget_gbp", "changes"],
            "properties": {
                "plan": {"$ref": "#/components/schemas/Plan"},
                "estimate": {"$ref": "#/components/schemas/Estimate"},
                "bound": {"enum": list(BOUNDS), "description":
                          "under_budget: nothing changed; budget: within the budget, and one "
                          "more session or person on any trimmed line would go over; floor: "
                          "the level's floor alone costs more than the budget"},
                "budget_gbp": money,
                "changes": {"type": "array",
                            "items": {"$ref": "#/components/schemas/FitChange"}}}},
        "Floor": {"type": "object", "required": ["met", "missing"],
                  "properties": {"met": {"type": "boolean"},
                                 "missing": {"type": "array", "items": {"type": "string"}}}},
        "Recommendation": {"type": "object", "required": ["level", "reasons"],
                           "description": "codes (and actions) are absent from estimates "
                                          "stored before they were added",
                           "properties": {
                               "level": {"enum": list(costing.LEVELS[1:])},
                               "reasons": {"type": "array", "items": {"type": "string"}},
                               "codes": {"type": "array", "items": {"enum": [
                                   "by_value", "client_requires", "stepped_down",
                                   "minimum_exceeds_threshold"]}},
                               "actions": {"type": "array", "items": {"type": "string"}}}},
    }


def openapi_document(rate_cards: list[str] | None = None) -> dict[str, Any]:
    """The API description, built from the same vocabulary the engine uses (and the ids
    of the rate cards this service holds, when given)."""
    secured = [{"bearer": []}]
    return {
        "openapi": "3.1.0",
        "info": {"title": "Co-production Planner API", "version": "1.0.0",
                 "description": "Bids, plan versions and estimates. Every call needs "
                                "'Authorization: Bearer <token>' (flask create-token) and sees "
                                "only the bids of the token owner's teams."},
        "servers": [{"url": "/api/v1"}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                       "schemas": {**_schemas(rate_cards), **_fit_schemas()}},
        "security": secured,
        "paths": {
            "/bids": {"get": {
                "summary": "Bids of your teams", "operationId": "listBids",
                "parameters": [
                    {"name": "page", "in": "query",
                     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}},
                    {"name": "per_page", "in": "query",
                     "schema": {"type": "integer", "minimum": 1, "maximum": 200}}],
                "responses": _responses(_200=_json("BidPage", "A page of bids"), _400=_ERRORS,
                                        _401=_UNAUTHORISED)}},
            "/bids/{bid_id}": {"get": {
                "summary": "One bid with its versions", "operationId": "getBid",
                "parameters": [_id("bid_id", "The bid's id")],
                "responses": _responses(_200=_json("BidDetail", "The bid"),
                                        _401=_UNAUTHORISED, _404=_NOT_FOUND)}},
            "/bids/{bid_id}/versions/{number}": {"get": {
                "summary": "A plan version: inputs, estimate, status and approval",
                "operationId": "getVersion",
                "parameters": [_id("bid_id", "The bid's id"),
                               _id("number", "The version number")],
                "responses": _responses(_200=_json("Version", "The version"),
                                        _401=_UNAUTHORISED, _404=_NOT_FOUND)}},
            "/bids/{bid_id}/versions/{number}/plan.docx": {"get": {
                "summary": "The version's co-production plan as a Word document",
                "operationId": "getPlanDocx",
                "parameters": [_id("bid_id", "The bid's id"),
                               _id("number", "The version number")],
                "responses": _responses(
                    _200={"description": "The plan (.docx), the same bytes for the same version",
                          "content": {DOCX: {"schema": {"type": "string", "format": "binary"}}}},
                    _401=_UNAUTHORISED, _404=_NOT_FOUND)}},
            "/estimate": {"post": {
                "summary": "Cost a plan document without saving it",
                "operationId": "postEstimate",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Plan"}}}},
                "responses": _responses(_200=_json("Estimate", "The estimate"), _400=_ERRORS,
                                        _401=_UNAUTHORISED, _413=_TOO_LARGE)}},
            "/fit": {"post": {
                "summary": "Trim a plan's people and sessions to a budget, without saving it",
                "operationId": "postFit",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/FitRequest"}}}},
                "responses": _responses(
                    _200=_json("FitResult", "The trimmed plan and its estimate"),
                    _400=_ERRORS, _401=_UNAUTHORISED, _413=_TOO_LARGE)}},
            "/openapi.json": {"get": {"summary": "This document", "operationId": "openapi",
                                      "security": [],
                                      "responses": _responses(_200={
                                          "description": "OpenAPI 3.1",
                                          "content": {"application/json": {
                                              "schema": {"type": "object"}}}})}},
        },
    }
