//! The service's error answer: `{"code","message","path","clause"}` (roei-core's error contract,
//! docs/FORMATS.md) with an HTTP status. Codes are stable; clients switch on them.
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An error answer. `extra` carries fields a code promises (the current `head` of a conflict).
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub path: String,
    pub clause: Option<String>,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            path: String::new(),
            clause: None,
            extra: serde_json::Map::new(),
        }
    }

    pub fn at(mut self, path: impl Into<String>) -> ApiError {
        self.path = path.into();
        self
    }

    pub fn clause(mut self, clause: impl Into<String>) -> ApiError {
        self.clause = Some(clause.into());
        self
    }

    pub fn with(mut self, key: &str, value: serde_json::Value) -> ApiError {
        self.extra.insert(key.into(), value);
        self
    }

    /// A record or event `roei-core` refused: 422 with the core's code, path and clause.
    pub fn invalid(e: &roei_core::Error) -> ApiError {
        let r = e.to_report();
        let mut a = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, r.code, r.message).at(r.path);
        a.clause = r.clause;
        if !r.problems.is_empty() {
            a.extra.insert(
                "problems".into(),
                serde_json::to_value(&r.problems).unwrap_or_default(),
            );
        }
        a
    }

    /// The database failed (not the caller's fault): 503, so a client retries.
    pub fn storage(e: sqlx::Error) -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "storage_unavailable",
            format!("the database did not answer: {e}"),
        )
    }

    pub fn not_found(id: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "incident_not_found",
            format!(
                "no incident '{}' that this caller may see",
                id.chars().take(80).collect::<String>()
            ),
        )
        .at("id")
    }

    pub fn bad_request(code: &'static str, path: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, message).at(path)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = serde_json::Map::new();
        body.insert("code".into(), json!(self.code));
        body.insert("message".into(), json!(self.message));
        body.insert("path".into(), json!(self.path));
        body.insert("clause".into(), json!(self.clause));
        body.extend(self.extra);
        (self.status, axum::Json(serde_json::Value::Object(body))).into_response()
    }
}
