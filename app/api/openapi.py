"""The OpenAPI 3.1 description of the API. Tests check it against the routes."""
from __future__ import annotations

from typing import Any

from app import costing

_ERRORS = {"description": "Errors, each naming the field",
           "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}}
_UNAUTHORISED = {"description": "Missing or invalid bearer token",
    "content": _ERRORS["content"]}
_NOT_FOUND = {"description": "No such bid or version, or not one of your teams'",
              "content": _ERRORS["content"]}


def _json(ref: str, description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


def _id(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": {"type": "integer", "minimum": 1}}


def _schemas() -> dict[str, Any]:
    money = {"type": "number", "description": "Pounds, two decimals"}
    nullable_date = {"type": ["string", "null"], "format": "date"}
    version_summary = {"type": "object", "properties": {
        "number": {"type": "integer"}, "status": {"type": "string"},
        "level": {"type": ["string", "null"], "enum": [*costing.LEVELS, None]},
        "total_gbp": {"type": ["number", "null"]}, "created_at": {"type": "string"}}}
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
        "Plan": {"type": "object", "description": "The costing contract's plan document "
                 "(docs/costing-model.md): bid, level, justification, rate_card, "
                 "existing_network, contributors, activities, accessible_formats, options.",
                 "required": ["bid", "level"],
                 "properties": {"bid": {"type": "object"},
                                "level": {"type": "string", "enum": list(costing.LEVELS)},
                                "justification": {"type": ["string", "null"]},
                                "rate_card": {"type": ["string", "null"]},
                                "activities": {"type": "array", "items": {"type": "object"}},
                                "options": {"type": "object"}}},
        "Estimate": {"type": "object", "description": "The costing contract's estimate document.",
                     "required": ["total_gbp", "percent_of_bid", "by_category", "by_stage",
                                  "lines", "time", "uncertainty", "recommendation", "warnings",
                                  "rate_card"],
                     "properties": {"total_gbp": money, "percent_of_bid": {"type": "number"},
                                    "by_category": {"type": "object"},
                                    "by_stage": {"type": "object"},
                                    "lines": {"type": "array", "items": {"type": "object"}},
                                    "time": {"type": "object"},
                                    "uncertainty": {"type": "object"},
                                    "recommendation": {"type": "object"},
                                    "warnings": {"type": "array", "items": {"type": "object"}},
                                    "rate_card": {"type": "object"}}},
    }


def openapi_document() -> dict[str, Any]:
    """The API description, built from the same vocabulary the engine uses."""
    secured = [{"bearer": []}]
    return {
        "openapi": "3.1.0",
        "info": {"title": "Co-production Planner API", "version": "1.0.0",
                 "description": "Bids, plan versions and estimates. Every call needs "
                                "'Authorization: Bearer <token>' (flask create-token) and sees "
                                "only the bids of the token owner's teams."},
        "servers": [{"url": "/api/v1"}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                       "schemas": _schemas()},
        "security": secured,
        "paths": {
            "/bids": {"get": {
                "summary": "Bids of your teams", "operationId": "listBids",
                "parameters": [
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                    {"name": "per_page", "in": "query",
                     "schema": {"type": "integer", "minimum": 1, "maximum": 200}}],
                "responses": {"200": _json("BidPage", "A page of bids"), "400": _ERRORS,
                              "401": _UNAUTHORISED}}},
            "/bids/{bid_id}": {"get": {
                "summary": "One bid with its versions", "operationId": "getBid",
                "parameters": [_id("bid_id", "The bid's id")],
                "responses": {"200": _json("BidDetail", "The bid"), "401": _UNAUTHORISED,
                              "404": _NOT_FOUND}}},
            "/bids/{bid_id}/versions/{number}": {"get": {
                "summary": "A plan version: inputs, estimate, status and approval",
                "operationId": "getVersion",
                "parameters": [_id("bid_id", "The bid's id"),
                               _id("number", "The version number")],
                "responses": {"200": _json("Version", "The version"), "401": _UNAUTHORISED,
                              "404": _NOT_FOUND}}},
            "/estimate": {"post": {
                "summary": "Cost a plan document without saving it",
                "operationId": "postEstimate",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Plan"}}}},
                "responses": {"200": _json("Estimate", "The estimate"), "400": _ERRORS,
                              "401": _UNAUTHORISED}}},
            "/openapi.json": {"get": {"summary": "This document", "operationId": "openapi",
                                      "security": [],
                                      "responses": {"200": {"description": "OpenAPI 3.1"}}}},
        },
    }
