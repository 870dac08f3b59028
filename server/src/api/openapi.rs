//! `GET /api/openapi.json`: the OpenAPI 3 document of the API. The router is built from the
//! same table (`ENDPOINTS`), so every route is documented by construction; a test calls every
//! documented operation and checks each answer against its documented status and schema.

use super::leads;
use super::row::ROW_FIELDS;
use app::models::TEXT_FIELDS;
use app::server::AppState;
use axum::routing::{delete, get, post, put, MethodRouter};
use axum::Json;
use serde_json::{json, Map, Value};

/// One operation: where it is, what it needs, what it may answer (status, schema name).
pub struct Endpoint {
    pub method: &'static str,
    pub path: &'static str,
    pub operation_id: &'static str,
    pub summary: &'static str,
    /// The token capability it needs (`None`: public).
    pub capability: Option<&'static str>,
    pub body: bool,
    pub paged: bool,
    pub responses: &'static [(u16, &'static str)],
    pub route: fn() -> MethodRouter<AppState>,
}

const AUTH_ERRORS: [(u16, &str); 3] = [(401, "Message"), (403, "Message"), (429, "Message")];

pub const ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        method: "get",
        path: "/api/leads",
        operation_id: "listLeads",
        summary: "Leads the token's user may see, newest first. Paged with nr_page/per_page; without them every row is streamed.",
        capability: Some("get"),
        body: false,
        paged: true,
        responses: &[(200, "LeadList"), (422, "ValidationError"), AUTH_ERRORS[0], AUTH_ERRORS[1], AUTH_ERRORS[2]],
        route: || get(leads::list),
    },
    Endpoint {
        method: "post",
        path: "/api/leads",
        operation_id: "createLead",
        summary: "Creates a lead (name required); multipart file[] parts are attached to it. Idempotency-Key makes a retry return the first answer.",
        capability: Some("post"),
        body: true,
        paged: false,
        responses: &[(200, "Created"), (400, "Message"), (409, "Message"), (413, "Message"), (415, "Message"), (422, "ValidationError"), AUTH_ERRORS[0], AUTH_ERRORS[1], AUTH_ERRORS[2]],
        route: || post(leads::create),
    },
    Endpoint {
        method: "get",
        path: "/api/leads/search/{keyword}",
        operation_id: "searchLeads",
        summary: "Full-text search over name, title, company, email, phone, city, state, zip, address and tags; #tag finds a tag. Paged like the list.",
        capability: Some("search_get"),
        body: false,
        paged: true,
        responses: &[(200, "LeadList"), (422, "ValidationError"), AUTH_ERRORS[0], AUTH_ERRORS[1], AUTH_ERRORS[2]],
        route: || get(leads::search),
    },
    Endpoint {
        method: "get",
        path: "/api/leads/{id}",
        operation_id: "getLead",
        summary: "One lead, with the files attached to it.",
        capability: Some("get"),
        body: false,
        paged: false,
        responses: &[(200, "LeadWithFiles"), (404, "Message"), AUTH_ERRORS[0], AUTH_ERRORS[1], AUTH_ERRORS[2]],
        route: || get(leads::one),
    },
    Endpoint {
        method: "put",
        path: "/api/leads/{id}",
        operation_id: "updateLead",
        summary: "Updates the fields sent and leaves the others as they are. A stage change (status) follows the board's rules. With version (from the lead's row), a lead changed since is refused with 409.",
        capability: Some("put"),
        body: true,
        paged: false,
        responses: &[(200, "Message"), (400, "Message"), (404, "Message"), (406, "Message"), (409, "Message"), (413, "Message"), (415, "Message"), (422, "ValidationError"), AUTH_ERRORS[0], AUTH_ERRORS[1], AUTH_ERRORS[2]],
        route: || put(leads::update),
    },
    Endpoint {
        method: "delete",
        path: "/api/leads/{id}",
        operation_id: "deleteLead",
        summary: "Moves a lead to the trash.",
        capability: Some("delete"),
        body: false,
        paged: false,
        responses: &[(200, "Message"), (404, "Message"), AUTH_ERRORS[0], AUTH_ERRORS[1], AUTH_ERRORS[2]],
        route: || delete(leads::remove),
    },
    Endpoint {
        method: "delete",
        path: "/api/delete/leads/{id}",
        operation_id: "deleteLeadPerfex",
        summary: "Moves a lead to the trash (the product doc's path).",
        capability: Some("delete"),
        body: false,
        paged: false,
        responses: &[(200, "Message"), (404, "Message"), AUTH_ERRORS[0], AUTH_ERRORS[1], AUTH_ERRORS[2]],
        route: || delete(leads::remove),
    },
    Endpoint {
        method: "get",
        path: "/api/openapi.json",
        operation_id: "openapi",
        summary: "This document.",
        capability: None,
        body: false,
        paged: false,
        responses: &[(200, "OpenApi")],
        route: || get(document),
    },
];

pub async fn document() -> Json<Value> {
    Json(spec())
}

/// The OpenAPI 3.0 document for `ENDPOINTS`.
pub fn spec() -> Value {
    let mut paths = Map::new();
    for endpoint in ENDPOINTS {
        let mut parameters = Vec::new();
        for name in ["id", "keyword"] {
            if endpoint.path.contains(&format!("{{{name}}}")) {
                parameters.push(json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}));
            }
        }
        if endpoint.paged {
            parameters.push(json!({"name": "nr_page", "in": "query", "schema": {"type": "integer", "minimum": 1}, "description": "1-based page (alias: page)"}));
            parameters.push(json!({"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}}));
        }
        if endpoint.method == "post" {
            parameters.push(json!({"name": "Idempotency-Key", "in": "header", "schema": {"type": "string", "maxLength": 255}}));
        }
        let mut responses = Map::new();
        for (status, schema) in endpoint.responses {
            let mut response = json!({
                "description": description(*status),
                "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}},
            });
            if endpoint.paged && *status == 200 {
                response["headers"] = json!({
                    "X-Total-Count": {"schema": {"type": "integer"}, "description": "Rows in all pages"},
                    "Link": {"schema": {"type": "string"}, "description": "first, prev, next and last pages"},
                });
            }
            if *status == 429 {
                response["headers"] = json!({"Retry-After": {"schema": {"type": "integer"}}});
            }
            responses.insert(status.to_string(), response);
        }
        let mut operation = json!({
            "operationId": endpoint.operation_id,
            "summary": endpoint.summary,
            "parameters": parameters,
            "responses": responses,
        });
        match endpoint.capability {
            Some(capability) => {
                operation["security"] = json!([{"authtoken": []}, {"bearer": []}]);
                operation["x-capability"] = json!(capability);
            }
            None => operation["security"] = json!([]),
        }
        if endpoint.body {
            let schema = json!({"$ref": "#/components/schemas/LeadInput"});
            operation["requestBody"] = json!({
                "required": endpoint.method == "post",
                "content": {
                    "application/json": {"schema": schema},
                    "application/x-www-form-urlencoded": {"schema": schema},
                    "multipart/form-data": {"schema": schema},
                },
            });
        }
        let path = paths
            .entry(endpoint.path.to_string())
            .or_insert_with(|| json!({}));
        path[endpoint.method] = operation;
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Leadline leads API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The product doc's lead endpoints (Perfex REST API v2 routes), with 401/403/422 answers, record_id on create, true partial PUT and SQL paging.",
        },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "authtoken": {"type": "apiKey", "in": "header", "name": "authtoken"},
                "bearer": {"type": "http", "scheme": "bearer"},
            },
            "schemas": schemas(),
        },
    })
}

fn description(status: u16) -> &'static str {
    match status {
        200 => "Done",
        400 => "The body could not be read (malformed JSON or form data)",
        401 => "No token, or an unknown, expired or revoked one",
        403 => "The token lacks the capability",
        404 => "No such lead, or not visible to the token's user",
        406 => "An update without any lead field",
        409 => "Refused by the lead's current state",
        413 => "The body is too large",
        415 => "Unsupported Content-Type",
        422 => "Invalid fields, one message per field",
        429 => "Over the token's rate limit",
        _ => "",
    }
}

fn schemas() -> Value {
    let mut row = Map::new();
    for field in ROW_FIELDS {
        let schema = match *field {
            "customfields" => {
                json!({"type": "array", "items": {"type": "object", "properties": {"label": {"type": "string"}, "value": {"type": "string"}}}})
            }
            "tags" => json!({"type": "array", "items": {"type": "string"}}),
            "pipeline_id" | "stage_id" | "version" => json!({"type": "integer"}),
            _ => json!({"type": "string", "nullable": true}),
        };
        row.insert(field.to_string(), schema);
    }
    let mut input = Map::new();
    for (field, max) in TEXT_FIELDS {
        input.insert(
            field.to_string(),
            json!({"type": "string", "maxLength": max}),
        );
    }
    for (field, what) in [
        (
            "status",
            "stage id (default: the first stage of the default pipeline)",
        ),
        ("source", "source id (default: the default source)"),
        ("assigned", "staff user id (default: the token's user)"),
        ("lead_value", "amount, e.g. 1200.50"),
        ("tags", "comma-separated (or a JSON array)"),
        ("is_public", "on / 1 / true"),
        ("contacted_today", "on: last contact is now"),
        ("custom_contact_date", "YYYY-MM-DD HH:MM:SS"),
        ("lastcontact", "YYYY-MM-DD HH:MM:SS"),
        ("client_id", "client id"),
        ("next_action_at", "YYYY-MM-DD HH:MM:SS"),
        (
            "version",
            "on update only, optional: the lead's version as its row gave it; if the lead has changed since, the update is refused with 409",
        ),
    ] {
        input.insert(
            field.to_string(),
            json!({"type": "string", "description": what}),
        );
    }
    input.insert(
        "customfields".into(),
        json!({"type": "array", "items": {"type": "object", "properties": {"label": {"type": "string"}, "value": {"type": "string"}}},
            "description": "custom field values by label (as lead rows carry them); form bodies send custom_fields[leads][<field id>]=value, JSON may also send custom_fields: {leads: {<field id>: value}}"}),
    );
    input.insert(
        "file[]".into(),
        json!({"type": "array", "items": {"type": "string", "format": "binary"},
            "description": "multipart/form-data on create only: files to attach (at most 10, each within the server's upload limit)"}),
    );
    let mut with_files = row.clone();
    with_files.insert(
        "attachments".into(),
        json!({"type": "array", "items": {
            "type": "object",
            "required": ["id", "file_name", "filetype", "filesize", "dateadded"],
            "properties": {
                "id": {"type": "string"}, "file_name": {"type": "string"}, "filetype": {"type": "string"},
                "filesize": {"type": "string", "description": "bytes"}, "dateadded": {"type": "string"},
            },
        }}),
    );
    let mut with_files_required: Vec<&str> = ROW_FIELDS.to_vec();
    with_files_required.push("attachments");
    json!({
        "Lead": {"type": "object", "required": ROW_FIELDS, "properties": row},
        "LeadWithFiles": {"type": "object", "required": with_files_required, "properties": with_files},
        "LeadList": {"type": "array", "items": {"$ref": "#/components/schemas/Lead"}},
        "LeadInput": {"type": "object", "properties": input, "additionalProperties": true},
        "Message": {
            "type": "object", "required": ["status", "message"],
            "properties": {"status": {"type": "boolean"}, "message": {"type": "string"}},
        },
        "Created": {
            "type": "object", "required": ["status", "message", "record_id"],
            "properties": {"status": {"type": "boolean"}, "message": {"type": "string"}, "record_id": {"type": "integer"}},
        },
        "ValidationError": {
            "type": "object", "required": ["status", "error", "message"],
            "properties": {
                "status": {"type": "boolean"},
                "error": {"type": "object", "additionalProperties": {"type": "string"}},
                "message": {"type": "string"},
            },
        },
        "OpenApi": {"type": "object", "required": ["openapi", "paths"]},
    })
}
