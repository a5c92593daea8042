//! `GET /api/auth/openapi.json`: the OpenAPI 3.1 document of the whole
//! `/api/auth` API, including the endpoints of the contract that are not built
//! yet (they are marked `x-latchkey-implemented: false` and answer 501).
//!
//! The document is data, not code: it lives in `openapi.json` beside this file
//! and is served exactly as written, bare rather than in the envelope. Change
//! it in the same commit as the route, field or status it describes.
//!
//! Limits: the tests below catch a route without a documented path, a
//! documented path without a route, a dangling `$ref` and a missing error
//! code; they cannot catch a field whose description has gone stale.

use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;

/// The document, embedded at build time.
pub const DOCUMENT: &str = include_str!("openapi.json");

/// Serves the bare document as `application/json`.
pub async fn document() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], DOCUMENT)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;

    use super::*;
    use crate::api::reply::ApiError;
    use crate::auth::AuthError;

    /// Every route of `crate::api::router()`, in axum's spelling, with the
    /// methods the contract gives it (the routes that answer 501 accept any
    /// method; the contract's methods are the ones documented).
    const ROUTES: &[(&str, &str)] = &[
        ("post", "/sign-up"),
        ("post", "/sign-in"),
        ("post", "/sign-out"),
        ("get", "/session"),
        ("get", "/sessions"),
        ("delete", "/sessions"),
        ("post", "/password-reset"),
        ("post", "/password-reset/confirm"),
        ("get", "/organizations"),
        ("post", "/organizations"),
        ("get", "/capabilities"),
        ("get", "/openapi.json"),
        ("get", "/organizations/{id}/members"),
        ("post", "/organizations/{id}/invitations"),
        ("patch", "/organizations/{id}/members/{member_id}"),
        ("delete", "/organizations/{id}/members/{member_id}"),
        ("post", "/invitations/{id}/accept"),
        ("post", "/organizations/active"),
        ("get", "/oauth/{provider}"),
        ("get", "/oauth/{provider}/callback"),
        ("post", "/magic-link"),
        ("post", "/magic-link/verify"),
        ("post", "/verify-email"),
        ("post", "/verify-email/confirm"),
        ("post", "/two-factor/{*rest}"),
        ("post", "/passkeys/{*rest}"),
        ("get", "/passkeys/{*rest}"),
        ("delete", "/passkeys/{*rest}"),
        ("get", "/sso"),
    ];

    fn parsed() -> Value {
        serde_json::from_str(DOCUMENT).unwrap()
    }

    /// axum's `{member_id}` is OpenAPI's `{memberId}`; a catch-all
    /// `{*rest}` is documented as one `{step}` segment.
    fn openapi_path(route: &str) -> String {
        let segments = route.split('/').map(|segment| {
            match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) if name.starts_with('*') => "{step}".to_owned(),
                Some(name) => format!("{{{}}}", camel_case(name)),
                None => segment.to_owned(),
            }
        });
        segments.collect::<Vec<_>>().join("/")
    }

    fn camel_case(name: &str) -> String {
        let mut parts = name.split('_');
        let first = parts.next().unwrap_or_default().to_owned();
        parts.fold(first, |mut out, part| {
            let mut chars = part.chars();
            out.extend(chars.next().map(|c| c.to_ascii_uppercase()));
            out.push_str(chars.as_str());
            out
        })
    }

    fn collect_refs<'a>(value: &'a Value, refs: &mut Vec<&'a str>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    refs.push(r);
                }
                map.values().for_each(|v| collect_refs(v, refs));
            }
            Value::Array(items) => items.iter().for_each(|v| collect_refs(v, refs)),
            _ => {}
        }
    }

    #[test]
    fn the_document_is_openapi_3_1() {
        let doc = parsed();

        let version = doc["openapi"].as_str().unwrap();

        assert!(version.starts_with("3.1"), "openapi is {version}");
    }

    #[test]
    fn every_route_of_the_router_has_a_documented_operation() {
        let doc = parsed();

        for (method, route) in ROUTES {
            let path = openapi_path(route);
            let operation = &doc["paths"][&path][*method];
            assert!(
                operation.is_object(),
                "{method} {path} ({route}) is not documented"
            );
        }
    }

    #[test]
    fn every_documented_path_is_a_route() {
        let doc = parsed();
        let routed: BTreeSet<String> = ROUTES.iter().map(|(_, r)| openapi_path(r)).collect();

        let documented: BTreeSet<String> =
            doc["paths"].as_object().unwrap().keys().cloned().collect();

        assert_eq!(documented, routed);
    }

    #[test]
    fn every_reference_resolves() {
        let doc = parsed();
        let mut refs = Vec::new();

        collect_refs(&doc, &mut refs);

        assert!(!refs.is_empty());
        for r in refs {
            let pointer = r.strip_prefix('#').unwrap_or(r);
            assert!(doc.pointer(pointer).is_some(), "dangling $ref {r}");
        }
    }

    #[test]
    fn the_error_code_enum_is_every_code_the_api_answers() {
        let doc = parsed();
        let documented: BTreeSet<&str> = doc["components"]["schemas"]["ErrorCode"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();

        let answered: BTreeSet<&str> = [
            AuthError::field("x", "y"),
            AuthError::InvalidCredentials,
            AuthError::InvalidToken,
            AuthError::Unauthorized,
            AuthError::Forbidden("x"),
            AuthError::NotFound,
            AuthError::EmailExists,
            AuthError::Conflict("x"),
            AuthError::RateLimited { retry_after: 1 },
            AuthError::NotSupported,
            AuthError::Provider(anyhow::anyhow!("x")),
            AuthError::Unexpected(anyhow::anyhow!("x")),
        ]
        .into_iter()
        .map(ApiError::from)
        .chain([ApiError::PayloadTooLarge, ApiError::UnsupportedMediaType])
        .map(|e| e.code())
        .collect();

        assert_eq!(documented, answered);
    }

    #[tokio::test]
    async fn the_document_is_served_as_bare_json() {
        let response = document().await.into_response();

        let content_type = response.headers().get(CONTENT_TYPE).unwrap().clone();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let served: Value = serde_json::from_slice(&body).unwrap();

        assert_eq!(content_type, "application/json");
        assert_eq!(served, parsed());
        assert!(served.get("success").is_none());
    }
}
