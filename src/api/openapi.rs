//! `GET /api/auth/openapi.json`: the OpenAPI 3.1 document of the API.

use axum::response::IntoResponse;
use axum::Json;

/// The bare document (not wrapped in the envelope).
pub async fn document() -> impl IntoResponse {
    Json(serde_json::json!({"openapi": "3.1.0", "info": {"title": "Latchkey", "version": "0.1.0"}, "paths": {}}))
}
