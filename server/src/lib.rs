//! # roei-server
//!
//! The shared incident record of a contractor and its principal (委託者): an HTTP service over
//! `roei-core` that keeps each `roei/incident@1` record as an append-only event log in SQLite (the
//! embedded default) or PostgreSQL, lets each party append only what is its own to record, stamps
//! every event with the server's clock (`received_at`) and signs the new head of the hash chain after
//! each append, so that neither party, nor the operator, can later rewrite what the other was shown.
//!
//! The service decides nothing legal itself: every append is validated by `roei-core`, every status,
//! deadline and report is computed by `roei-core`, and "whose duty is this event" is read from the
//! catalog's `owed_by` / `done_by` data. See docs/SERVER.md.
pub mod api;
pub mod auth;
pub mod duty;
pub mod error;
pub mod receipt;
pub mod store;
pub mod strict_json;
