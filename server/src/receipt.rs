//! Signed receipts: after each append the service signs the new head of the record's hash chain
//! (roei-core's seal, `H(i) = SHA-256(H(i-1) ‖ "\n" ‖ event i)`) with its Ed25519 key. The client
//! keeps every receipt. Because each head covers every event before it, a later rewrite of any
//! acknowledged event — by either party or by the operator editing the database — no longer
//! produces the head a receipt vouches for, and the receipt holder can show it
//! (`roei-server verify`).
//!
//! The key is 32 random bytes in `<data dir>/signing-key` (hex, mode 0600), made on first start;
//! the public key is served at `/.well-known/roei-signing-key`.
use std::path::Path;

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

pub const RECEIPT_FORMAT: &str = "roei/receipt@1";

/// What a receipt says: after `events` events, record `incident`'s head was `head`, the last
/// event (`event`) having reached the service at `received_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    pub format: String,
    pub incident: String,
    pub events: i64,
    pub event: String,
    pub head: String,
    pub received_at: String,
    /// Hex of the Ed25519 public key that signed.
    pub key: String,
    /// Hex of the Ed25519 signature over [`Receipt::signed_text`].
    pub signature: String,
}

impl Receipt {
    /// The exact bytes signed: one field a line, in a fixed order.
    pub fn signed_text(&self) -> String {
        format!(
            "{}\n{}\n{}\n{}\n{}\n{}\n",
            RECEIPT_FORMAT, self.incident, self.events, self.event, self.head, self.received_at
        )
    }
}

/// Lower-case hex of `bytes` (the receipt's key and signature, the token's hash): roei-core's, the
/// form of the seals' hashes.
pub use roei_core::seal::hex;

pub fn unhex<const N: usize>(s: &str) -> Option<[u8; N]> {
    let s = s.trim();
    if s.len() != 2 * N || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; N];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// The service's signing key, and its public key in hex (in every receipt).
#[derive(Clone)]
pub struct Keys {
    signing: SigningKey,
    public_hex: String,
}

impl Keys {
    /// Reads `path`, or makes a new key there when the file does not exist.
    pub fn load_or_create(path: &Path) -> Result<Keys, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let bytes = unhex::<32>(&text)
                    .ok_or_else(|| format!("{}: not a 64-digit hex Ed25519 key", path.display()))?;
                Ok(Keys::from_bytes(&bytes))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut bytes = [0u8; 32];
                getrandom::fill(&mut bytes)
                    .map_err(|e| format!("no randomness from the system: {e}"))?;
                write_private(path, &format!("{}\n", hex(&bytes)))?;
                Ok(Keys::from_bytes(&bytes))
            }
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    fn from_bytes(bytes: &[u8; 32]) -> Keys {
        let signing = SigningKey::from_bytes(bytes);
        let public_hex = hex(signing.verifying_key().as_bytes());
        Keys {
            signing,
            public_hex,
        }
    }

    pub fn public_hex(&self) -> String {
        self.public_hex.clone()
    }

    /// Signs a receipt for the state after `events` events.
    pub fn receipt(
        &self,
        incident: &str,
        events: i64,
        event: &str,
        head: &str,
        received_at: &str,
    ) -> Receipt {
        let mut r = Receipt {
            format: RECEIPT_FORMAT.into(),
            incident: incident.into(),
            events,
            event: event.into(),
            head: head.into(),
            received_at: received_at.into(),
            key: self.public_hex(),
            signature: String::new(),
        };
        r.signature = hex(&self.signing.sign(r.signed_text().as_bytes()).to_bytes());
        r
    }
}

fn write_private(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let mut f = o
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    f.write_all(text.as_bytes())
        .and_then(|_| f.sync_all())
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Checks a receipt's signature against a public key (hex).
pub fn check_signature(r: &Receipt, public_hex: &str) -> Result<(), String> {
    let key = unhex::<32>(public_hex)
        .and_then(|b| VerifyingKey::from_bytes(&b).ok())
        .ok_or("the key is not a 64-digit hex Ed25519 public key")?;
    if r.format != RECEIPT_FORMAT {
        return Err(format!("format '{}' is not {RECEIPT_FORMAT}", r.format));
    }
    let sig = unhex::<64>(&r.signature).ok_or("signature: not 128 hex digits")?;
    key.verify(r.signed_text().as_bytes(), &Signature::from_bytes(&sig))
        .map_err(|_| "the signature does not match this key and content".to_string())
}

/// One problem `verify` found, with the receipt's index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub path: String,
    pub message: String,
}

/// Checks a record against receipts: each receipt is signed by `public_hex`, names this record,
/// and the record's chain verifies and passes through the receipt's head after `events` events.
/// Empty = the record is what the service acknowledged to the receipt holder.
pub fn verify_record(record_json: &str, receipts: &[Receipt], public_hex: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let rec = match roei_core::Record::parse(record_json) {
        Ok(r) => r,
        Err(e) => {
            out.push(Finding {
                code: "record_invalid",
                path: e.path().to_string(),
                message: e.to_string(),
            });
            return out;
        }
    };
    if let Err(e) = roei_core::seal::verify(&rec) {
        out.push(Finding {
            code: "chain_broken",
            path: e.path().to_string(),
            message: e.to_string(),
        });
    }
    for (i, r) in receipts.iter().enumerate() {
        let path = format!("receipts[{i}]");
        let mut bad = |code, message: String| {
            out.push(Finding {
                code,
                path: path.clone(),
                message,
            })
        };
        if let Err(m) = check_signature(r, public_hex) {
            bad("signature_invalid", m);
            continue;
        }
        if r.incident != rec.id {
            bad(
                "other_incident",
                format!("the receipt is for '{}', not '{}'", r.incident, rec.id),
            );
            continue;
        }
        let n = r.events.max(0) as usize;
        let Some(ev) = rec.events.get(n.wrapping_sub(1)).filter(|_| n > 0) else {
            bad(
                "events_missing",
                format!(
                    "the receipt vouches for {} events; the record holds {}: acknowledged events were removed",
                    r.events,
                    rec.events.len()
                ),
            );
            continue;
        };
        let head = serde_json::from_str::<serde_json::Value>(ev.raw())
            .ok()
            .and_then(|v| v["seal"]["hash"].as_str().map(str::to_string));
        if ev.id != r.event || head.as_deref() != Some(r.head.as_str()) {
            bad(
                "head_mismatch",
                format!(
                    "after {} events the record's head is not the signed {}: an acknowledged event was changed",
                    r.events, r.head
                ),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn hex_is_lower_case_two_digits_a_byte() {
        assert_eq!(super::hex(&[0x00, 0x0f, 0xab, 0xff]), "000fabff");
        assert_eq!(
            super::unhex::<4>("000fabff"),
            Some([0x00, 0x0f, 0xab, 0xff])
        );
        assert_eq!(
            crate::auth::token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
