//! Callers and what they may see. Every caller presents a bearer token issued by
//! `roei-server token add`; the service stores only the token's SHA-256. A token belongs to a party:
//! a contractor (受託者), scoped to named contracts of one principal, or a principal (委託者, the
//! municipality), scoped to every contract it let. The party, never the request body, is the
//! event's `actor`.
//!
//! A token found in the database is remembered in memory for [`TOKEN_CACHE_SECONDS`], so that an
//! append costs one database round trip less. Revocation is bounded by that: a token whose row is
//! deleted from `roei_tokens` stops working on every instance at most that many seconds later. An
//! unknown token is never remembered (a new token works at once, and guessing costs a lookup each).
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode};
use roei_core::vocab::{Actor, Party};
use roei_core::Record;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::store::{Store, StoredToken};

/// The scope stored with a token (`roei_tokens.scope`, JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// The municipality: a principal's own name, or the principal of a contractor's contracts.
    pub principal: String,
    /// A contractor's contracts (ids as in the record's `contracts[].id`); absent for a principal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contracts: Option<Vec<String>>,
}

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller {
    pub name: String,
    pub party: Party,
    pub scope: Scope,
}

impl Caller {
    /// The event `actor` this caller records as.
    pub fn actor(&self) -> Actor {
        match self.party {
            Party::Principal => Actor::Principal,
            _ => Actor::Contractor,
        }
    }

    /// Whether a contract (its id and principal) is in this caller's scope.
    pub fn covers(&self, contract_id: &str, principal: &str) -> bool {
        principal == self.scope.principal
            && self
                .scope
                .contracts
                .as_ref()
                .is_none_or(|list| list.iter().any(|c| c == contract_id))
    }

    /// Whether the caller may see the record: one of its contracts is in scope.
    pub fn sees(&self, rec: &Record) -> bool {
        rec.contracts
            .iter()
            .any(|c| self.covers(&c.id, &c.principal))
    }

    /// `{"party","name","principal","contracts"}` for `GET /whoami`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "party": self.party.key(),
            "name": self.name,
            "principal": self.scope.principal,
            "contracts": self.scope.contracts,
        })
    }
}

/// SHA-256 of a token, hex: what the database keeps.
pub fn token_hash(token: &str) -> String {
    crate::receipt::hex(&Sha256::digest(token.as_bytes()))
}

/// A new random token: `roei_` and 43 characters of base64url (256 bits).
pub fn new_token() -> Result<String, String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| format!("no randomness from the system: {e}"))?;
    Ok(format!("roei_{}", base64url(&bytes)))
}

pub fn base64url(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 2);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |n, b| (n << 8) | *b as u32) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// The token a request carries: `Authorization: Bearer …`, or `access_token=` in the query for
/// the event stream (a browser's EventSource cannot set headers).
pub fn presented_token(headers: &HeaderMap, query_token: Option<&str>) -> Option<String> {
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string())
        .or_else(|| query_token.map(str::to_string))
}

/// How long a token found in the database is trusted without asking it again (see the module doc).
pub const TOKEN_CACHE_SECONDS: u64 = 10;

/// Most tokens remembered at once; past it the memory starts over (a bound, not an eviction policy:
/// a service has a handful of tokens per organisation).
const TOKEN_CACHE_ENTRIES: usize = 4096;

/// Callers of recently seen tokens, by token hash, with when they were read from the database.
#[derive(Default)]
pub struct TokenCache(Mutex<HashMap<String, (Caller, Instant)>>);

impl TokenCache {
    fn get(&self, hash: &str) -> Option<Caller> {
        let map = self.0.lock().ok()?;
        let (caller, read) = map.get(hash)?;
        (read.elapsed() < Duration::from_secs(TOKEN_CACHE_SECONDS)).then(|| caller.clone())
    }

    fn put(&self, hash: String, caller: &Caller) {
        if let Ok(mut map) = self.0.lock() {
            if map.len() >= TOKEN_CACHE_ENTRIES {
                map.clear();
            }
            map.insert(hash, (caller.clone(), Instant::now()));
        }
    }
}

/// The caller behind a request, or 401.
pub async fn authenticate(
    store: &Store,
    cache: &TokenCache,
    token: Option<String>,
) -> Result<Caller, ApiError> {
    let unauthorized =
        |m: &str| ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", m).at("Authorization");
    let Some(token) = token else {
        return Err(unauthorized(
            "send 'Authorization: Bearer <token>' (tokens come from 'roei-server token add')",
        ));
    };
    let hash = token_hash(&token);
    if let Some(c) = cache.get(&hash) {
        return Ok(c);
    }
    let Some(t) = store.token(&hash).await.map_err(ApiError::storage)? else {
        return Err(unauthorized("this token is not known to the service"));
    };
    let c = caller_of(&t).map_err(|m| {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "token_damaged", m).at("Authorization")
    })?;
    cache.put(hash, &c);
    Ok(c)
}

/// Reads a stored token row.
pub fn caller_of(t: &StoredToken) -> Result<Caller, String> {
    let party = match Party::from_key(&t.party) {
        Some(p @ (Party::Contractor | Party::Principal)) => p,
        _ => return Err(format!("token '{}' has an unknown party", t.name)),
    };
    let scope: Scope = serde_json::from_str(&t.scope)
        .map_err(|e| format!("token '{}' has an unreadable scope: {e}", t.name))?;
    if (party == Party::Contractor) != scope.contracts.is_some() {
        return Err(format!(
            "token '{}': only a contractor names contracts",
            t.name
        ));
    }
    Ok(Caller {
        name: t.name.clone(),
        party,
        scope,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64url_matches_the_rfc_4648_examples() {
        assert_eq!(super::base64url(b"f"), "Zg");
        assert_eq!(super::base64url(b"fo"), "Zm8");
        assert_eq!(super::base64url(b"foo"), "Zm9v");
        assert_eq!(super::base64url(b"foob"), "Zm9vYg");
        assert_eq!(super::base64url(&[0xfb, 0xff]), "-_8");
    }
}
