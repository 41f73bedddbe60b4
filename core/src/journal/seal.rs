//! Sealed payloads (暗号化保存): personal data in the journal encrypted under a data key per
//! household, the data keys kept in a key table wrapped by the host's master key, and erasure by
//! destroying a data key (鍵の破棄による消去).
//!
//! This module owns the stored form of a sealed payload, the AEAD, the key table rows
//! ([`KeyRow`]), the host's [`MasterKey`] and the unwrapped [`Keyring`]. It does not decide which
//! events are sealed under which key, nor what stays in clear: the payload's owner (the case
//! book, `registry::erasure`) hands the journal a [`SealAs`] per event.
//!
//! # Stored form
//!
//! A sealed event's stored payload text is canonical JSON (object keys sorted, no whitespace):
//!
//! ```text
//! {"$sealed":{"ct":"<base64>","key":"household:H1","nonce":"<base64>"},"clear":<projection>}
//! ```
//!
//! `ct` is the XChaCha20-Poly1305 ciphertext (with its 16-byte tag) of the payload's canonical
//! JSON, `nonce` its 24-byte nonce, `key` the data key's id, and `clear` the **clear projection**:
//! a payload of the same type that the owner wrote without personal content (what statistics
//! need: the command kind, dates, codes, ids). The associated data binds the ciphertext to its key
//! id and to its clear projection, so neither can be swapped without `tampered_ciphertext`.
//!
//! **The hash chain is over these stored bytes**: `verify` needs no key, and still passes after a
//! key is destroyed. A plaintext event's payload text starts with `{"by"` or `{"command"` (or any
//! key but `$sealed`), so plaintext journals open, verify and replay unchanged: there is no
//! migration of old events, and the key table is created on first use outside the numbered
//! schema migrations (as the blob table is), so a journal's schema version does not change.
//!
//! # Decisions
//!
//! - **XChaCha20-Poly1305** (RustCrypto `chacha20poly1305`), not AES-GCM: nonces are random
//!   (several offline devices seal under one household key with no shared counter), and a 192-bit
//!   random nonce has no practical collision bound, while AES-GCM's 96-bit random nonce allows
//!   about 2³² messages per key; ChaCha20 is constant-time in pure Rust on tablets without AES
//!   instructions and in wasm. It is in the RustCrypto family, audited (NCC Group, 2020).
//!   (CRYPTREC lists ChaCha20-Poly1305 since 2023 alongside AES-GCM.)
//! - **Nonces from the OS** (`getrandom`), drawn here in the store layer, never in a domain module.
//!   Derived nonces would need a counter per key shared by every device — which offline tablets
//!   do not have.
//! - **Data keys**: 32 random bytes per key id, wrapped by the master key with the same AEAD
//!   (associated data: the key id, so a wrapped key moved to another id fails). A key row whose
//!   wrapped key is gone (`NULL`) is **destroyed**: events sealed under it read as their clear
//!   projection (a tombstone). Destroying is overwriting the row; the SQLite store runs with
//!   `secure_delete` and checkpoints the WAL afterwards, so the key's bytes leave the file.
//! - **The master key is the host's** (Android Keystore, iOS Keychain, a KMS or an HSM): the core
//!   never invents, derives or stores one; it is handed to the journal when it is opened
//!   ([`MasterKey::from_bytes`]). A check row (`$check`) wrapped under the master key on first
//!   use makes a wrong master key fail at once (`wrong_master_key`), before any event is read.
//!
//! # A host's master key (example)
//!
//! Android (Kotlin): keep a random 32-byte key encrypted by an `AndroidKeyStore` AES key
//! (`KeyGenParameterSpec.Builder(alias, PURPOSE_ENCRYPT or PURPOSE_DECRYPT)`, user authentication
//! as the municipality's policy requires), decrypt it when the worker unlocks the app, and pass
//! the 32 bytes to the book; iOS (Swift): keep the 32 bytes as a `kSecClassGenericPassword` item
//! with `kSecAttrAccessibleWhenUnlockedThisDeviceOnly` and read them with `SecItemCopyMatching`;
//! a server: a KMS data key (`GenerateDataKey`) decrypted at start-up. Losing the master key
//! loses every sealed payload (statistics and the chain remain): the host backs it up as its
//! security policy says.

use super::JournalError;
use serde::Deserialize;

/// Prefix of a sealed payload's stored text.
pub const SEALED_PREFIX: &str = "{\"$sealed\":";

/// Key id of the master-key check row in the key table.
pub const CHECK_KEY_ID: &str = "$check";

/// One row of the key table (鍵表): a data key's id and the key wrapped by the master key, or
/// `None` once the key was destroyed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRow {
    /// The key id, e.g. `household:H1` (the check row is [`CHECK_KEY_ID`]).
    pub key_id: String,
    /// Nonce (24 bytes) and ciphertext of the data key; `None` when destroyed.
    pub wrapped: Option<Vec<u8>>,
}

/// How one event is sealed (封印の指示): under which data key, and the clear projection kept
/// readable (the payload without its personal content).
#[derive(Debug, Clone, PartialEq)]
pub struct SealAs<P> {
    /// Data key id (created on first use).
    pub key_id: String,
    /// The payload as it reads once its key is destroyed.
    pub clear: P,
}

/// How a replayed event was read (see [`super::Journal::try_replay_sealed`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sealing<'a> {
    /// Stored in clear (not sealed, or a journal older than sealing).
    Clear,
    /// Sealed under this key and opened: the payload is whole.
    Opened(&'a str),
    /// Sealed under this key, which was destroyed: the payload is its clear projection
    /// (墓標, tombstone).
    Tombstone(&'a str),
}

/// The sealed wrapper, as parsed from the stored text (borrowed).
#[derive(Deserialize)]
struct Wrapper<'a> {
    #[serde(rename = "$sealed", borrow)]
    sealed: Inner<'a>,
    #[allow(dead_code)]
    clear: serde::de::IgnoredAny,
}

#[derive(Deserialize)]
struct Inner<'a> {
    #[serde(borrow)]
    ct: &'a str,
    #[serde(borrow)]
    key: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    nonce: &'a str,
}

/// A sealed payload's parts (without feature `seal` only the key and the projection are read).
#[cfg_attr(not(feature = "seal"), allow(dead_code))]
pub(super) struct Parts<'a> {
    pub key: std::borrow::Cow<'a, str>,
    pub ct: &'a str,
    pub nonce: &'a str,
    pub clear: &'a str,
}

/// The parts of a sealed stored text, or `None` when it is not sealed. `corrupt_event` when it
/// starts like a sealed payload but is not one.
pub(super) fn parse(seq: u64, text: &str) -> Result<Option<Parts<'_>>, JournalError> {
    if !text.starts_with(SEALED_PREFIX) {
        return Ok(None);
    }
    let malformed = || JournalError::CorruptEvent {
        seq,
        field: "payload",
        reason: "sealed payload is malformed".to_string(),
    };
    let w: Wrapper<'_> = serde_json::from_str(text).map_err(|_| malformed())?;
    // The clear projection's text, as stored: after the nonce (base64, so its closing quote is
    // the first one; and `,"nonce":"` cannot occur inside the escaped key string).
    let start = text.find(",\"nonce\":\"").ok_or_else(malformed)? + 10;
    let after = &text[start..];
    let end = after.find('"').ok_or_else(malformed)?;
    let clear = after[end..]
        .strip_prefix("\"},\"clear\":")
        .and_then(|c| c.strip_suffix('}'))
        .ok_or_else(malformed)?;
    if &after[..end] != w.sealed.nonce {
        return Err(malformed());
    }
    Ok(Some(Parts {
        key: w.sealed.key,
        ct: w.sealed.ct,
        nonce: w.sealed.nonce,
        clear,
    }))
}

#[cfg_attr(not(feature = "seal"), allow(dead_code))]
/// The stored text of a sealed payload (canonical: keys in code-point order, no whitespace).
pub(super) fn stored_text(key_id: &str, ct_b64: &str, nonce_b64: &str, clear: &str) -> String {
    let key = serde_json::to_string(key_id).unwrap_or_else(|_| "\"\"".to_string());
    let mut s =
        String::with_capacity(40 + key.len() + ct_b64.len() + nonce_b64.len() + clear.len());
    s.push_str(SEALED_PREFIX);
    s.push_str("{\"ct\":\"");
    s.push_str(ct_b64);
    s.push_str("\",\"key\":");
    s.push_str(&key);
    s.push_str(",\"nonce\":\"");
    s.push_str(nonce_b64);
    s.push_str("\"},\"clear\":");
    s.push_str(clear);
    s.push('}');
    s
}

#[cfg_attr(not(feature = "seal"), allow(dead_code))]
/// The associated data of a payload's ciphertext: its key id and clear projection.
pub(super) fn payload_aad(key_id: &str, clear: &str) -> Vec<u8> {
    let mut aad = Vec::with_capacity(20 + key_id.len() + clear.len());
    aad.extend_from_slice(b"tsunagu.seal.v1\0");
    aad.extend_from_slice(key_id.as_bytes());
    aad.push(0);
    aad.extend_from_slice(clear.as_bytes());
    aad
}

#[cfg(feature = "seal")]
pub use crypto::{Keyring, MasterKey};

#[cfg(feature = "seal")]
mod crypto {
    use super::*;
    use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
    use base64::Engine;
    use chacha20poly1305::aead::{Aead, KeyInit, Payload};
    use chacha20poly1305::{XChaCha20Poly1305, XNonce};
    use std::collections::BTreeMap;

    /// The host's master key (マスター鍵): 32 bytes from the platform's key store, handed to the
    /// journal when it is opened. Never stored by the core; its `Debug` shows nothing.
    #[derive(Clone)]
    pub struct MasterKey(XChaCha20Poly1305);

    impl std::fmt::Debug for MasterKey {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("MasterKey(..)")
        }
    }

    impl MasterKey {
        /// The master key from its 32 bytes.
        pub fn from_bytes(bytes: [u8; 32]) -> Self {
            MasterKey(XChaCha20Poly1305::new(&bytes.into()))
        }

        fn wrap(&self, key_id: &str, key: &[u8; 32]) -> Result<Vec<u8>, JournalError> {
            let nonce = random_nonce()?;
            let ct = self
                .0
                .encrypt(
                    XNonce::from_slice(&nonce),
                    Payload {
                        msg: key,
                        aad: &key_aad(key_id),
                    },
                )
                .map_err(|_| JournalError::storage("data key could not be wrapped"))?;
            let mut out = nonce.to_vec();
            out.extend_from_slice(&ct);
            Ok(out)
        }

        fn unwrap(&self, key_id: &str, wrapped: &[u8]) -> Option<[u8; 32]> {
            if wrapped.len() < 24 {
                return None;
            }
            let (nonce, ct) = wrapped.split_at(24);
            let pt = self
                .0
                .decrypt(
                    XNonce::from_slice(nonce),
                    Payload {
                        msg: ct,
                        aad: &key_aad(key_id),
                    },
                )
                .ok()?;
            pt.try_into().ok()
        }
    }

    fn key_aad(key_id: &str) -> Vec<u8> {
        let mut aad = b"tsunagu.key.v1\0".to_vec();
        aad.extend_from_slice(key_id.as_bytes());
        aad
    }

    fn random_nonce() -> Result<[u8; 24], JournalError> {
        let mut n = [0u8; 24];
        getrandom::getrandom(&mut n)
            .map_err(|_| JournalError::storage("the OS gave no random bytes"))?;
        Ok(n)
    }

    /// A data key's state in the keyring.
    #[derive(Clone)]
    enum KeyState {
        Live(Box<XChaCha20Poly1305>),
        Destroyed,
    }

    /// The unwrapped data keys of one journal (鍵束), held in memory while it is open.
    #[derive(Clone)]
    pub struct Keyring {
        master: MasterKey,
        keys: BTreeMap<String, KeyState>,
    }

    impl std::fmt::Debug for Keyring {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("Keyring")
                .field("keys", &self.keys.len())
                .finish_non_exhaustive()
        }
    }

    impl Keyring {
        /// Unwrap every row of the key table with `master`. Returns the keyring and the check
        /// row to store when the table had none (a new journal).
        ///
        /// Errors: `wrong_master_key` when the check row does not unwrap;
        /// `tampered_ciphertext` when another row does not (the key table was edited).
        pub fn load(
            master: MasterKey,
            rows: &[KeyRow],
        ) -> Result<(Keyring, Option<KeyRow>), JournalError> {
            let mut keys = BTreeMap::new();
            let mut new_check = None;
            match rows.iter().find(|r| r.key_id == CHECK_KEY_ID) {
                Some(KeyRow {
                    wrapped: Some(w), ..
                }) => {
                    if master.unwrap(CHECK_KEY_ID, w).is_none() {
                        return Err(JournalError::WrongMasterKey);
                    }
                }
                Some(_) => return Err(JournalError::WrongMasterKey),
                None => {
                    new_check = Some(KeyRow {
                        key_id: CHECK_KEY_ID.to_string(),
                        wrapped: Some(master.wrap(CHECK_KEY_ID, &[0; 32])?),
                    });
                }
            }
            for row in rows.iter().filter(|r| r.key_id != CHECK_KEY_ID) {
                let state = match &row.wrapped {
                    None => KeyState::Destroyed,
                    Some(w) => {
                        let key = master.unwrap(&row.key_id, w).ok_or_else(|| {
                            JournalError::TamperedCiphertext {
                                seq: 0,
                                key_id: row.key_id.clone(),
                            }
                        })?;
                        KeyState::Live(Box::new(XChaCha20Poly1305::new(&key.into())))
                    }
                };
                keys.insert(row.key_id.clone(), state);
            }
            Ok((Keyring { master, keys }, new_check))
        }

        /// True when the key exists and was destroyed.
        pub fn is_destroyed(&self, key_id: &str) -> bool {
            matches!(self.keys.get(key_id), Some(KeyState::Destroyed))
        }

        /// True when the key exists and is live.
        pub fn is_live(&self, key_id: &str) -> bool {
            matches!(self.keys.get(key_id), Some(KeyState::Live(_)))
        }

        /// Make a new data key for `key_id` (random from the OS), held here; returns its row
        /// for the key table. Existing keys are left alone (`None`).
        pub(in crate::journal) fn ensure(
            &mut self,
            key_id: &str,
        ) -> Result<Option<KeyRow>, JournalError> {
            if self.keys.contains_key(key_id) {
                return Ok(None);
            }
            let mut key = [0u8; 32];
            getrandom::getrandom(&mut key)
                .map_err(|_| JournalError::storage("the OS gave no random bytes"))?;
            let wrapped = self.master.wrap(key_id, &key)?;
            self.keys.insert(
                key_id.to_string(),
                KeyState::Live(Box::new(XChaCha20Poly1305::new(&key.into()))),
            );
            key.fill(0);
            Ok(Some(KeyRow {
                key_id: key_id.to_string(),
                wrapped: Some(wrapped),
            }))
        }

        /// Drop a key made by [`Keyring::ensure`] whose row the store did not take.
        pub(in crate::journal) fn forget(&mut self, key_id: &str) {
            self.keys.remove(key_id);
        }

        /// Forget the key (after the store destroyed its row).
        pub(in crate::journal) fn destroy(&mut self, key_id: &str) {
            self.keys.insert(key_id.to_string(), KeyState::Destroyed);
        }

        /// Seal `payload` (canonical JSON) under `key_id` with `clear` as its projection: the
        /// stored text. `key_destroyed` when the key was destroyed; `missing_key` when unknown.
        pub(in crate::journal) fn seal(
            &self,
            index: usize,
            key_id: &str,
            payload: &str,
            clear: &str,
        ) -> Result<String, JournalError> {
            let cipher = match self.keys.get(key_id) {
                Some(KeyState::Live(c)) => c,
                Some(KeyState::Destroyed) => {
                    return Err(JournalError::KeyDestroyed {
                        index,
                        key_id: key_id.to_string(),
                    })
                }
                None => {
                    return Err(JournalError::MissingKey {
                        seq: 0,
                        key_id: key_id.to_string(),
                    })
                }
            };
            let nonce = random_nonce()?;
            let ct = cipher
                .encrypt(
                    XNonce::from_slice(&nonce),
                    Payload {
                        msg: payload.as_bytes(),
                        aad: &payload_aad(key_id, clear),
                    },
                )
                .map_err(|_| JournalError::storage("payload could not be sealed"))?;
            Ok(stored_text(
                key_id,
                &B64.encode(ct),
                &B64.encode(nonce),
                clear,
            ))
        }

        /// Open a sealed payload: `Ok(Some(json))` with its key, `Ok(None)` when the key was
        /// destroyed (read the clear projection). `missing_key` when the key table has no such
        /// key, `tampered_ciphertext` when the ciphertext, nonce or projection was changed.
        pub(in crate::journal) fn open(
            &self,
            seq: u64,
            parts: &Parts<'_>,
        ) -> Result<Option<Vec<u8>>, JournalError> {
            let tampered = || JournalError::TamperedCiphertext {
                seq,
                key_id: parts.key.to_string(),
            };
            let cipher = match self.keys.get(parts.key.as_ref()) {
                Some(KeyState::Live(c)) => c,
                Some(KeyState::Destroyed) => return Ok(None),
                None => {
                    return Err(JournalError::MissingKey {
                        seq,
                        key_id: parts.key.to_string(),
                    })
                }
            };
            let nonce = B64.decode(parts.nonce).map_err(|_| tampered())?;
            if nonce.len() != 24 {
                return Err(tampered());
            }
            let ct = B64.decode(parts.ct).map_err(|_| tampered())?;
            cipher
                .decrypt(
                    XNonce::from_slice(&nonce),
                    Payload {
                        msg: &ct,
                        aad: &payload_aad(&parts.key, parts.clear),
                    },
                )
                .map(Some)
                .map_err(|_| tampered())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(feature = "seal")]
    use crate::coded::Coded;

    #[test]
    fn stored_text_is_canonical() {
        let text = stored_text("household:H\"1", "AAAA", "BBBB", "{\"a\":1}");
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(super::super::canonical_json(&value).unwrap(), text);
        let parts = parse(1, &text).unwrap().unwrap();
        assert_eq!(parts.key, "household:H\"1");
        assert_eq!(parts.clear, "{\"a\":1}");
        assert!(parse(1, "{\"by\":1}").unwrap().is_none());
        assert!(parse(1, "{\"$sealed\":1}").is_err());
    }

    #[cfg(feature = "seal")]
    #[test]
    fn wrong_master_key_and_tamper() {
        let (mut ring, check) = Keyring::load(MasterKey::from_bytes([7; 32]), &[]).unwrap();
        let check = check.unwrap();
        ring.ensure("household:H1").unwrap().unwrap();
        let text = ring
            .seal(0, "household:H1", "{\"x\":\"秘密\"}", "{}")
            .unwrap();
        let parts = parse(1, &text).unwrap().unwrap();
        assert_eq!(
            ring.open(1, &parts).unwrap().unwrap(),
            "{\"x\":\"秘密\"}".as_bytes()
        );
        let swapped = Parts {
            clear: "{\"y\":1}",
            ..parts
        };
        assert_eq!(
            ring.open(1, &swapped).unwrap_err().code(),
            "tampered_ciphertext"
        );
        let err = Keyring::load(MasterKey::from_bytes([8; 32]), &[check]).unwrap_err();
        assert_eq!(err.code(), "wrong_master_key");
    }
}

/// Without feature `seal` there are no keys: a journal reads sealed events only as their clear
/// projection (verify), and replay fails with `missing_key`. The type has no values.
#[cfg(not(feature = "seal"))]
#[derive(Debug, Clone)]
pub enum Keyring {}

#[cfg(not(feature = "seal"))]
impl Keyring {
    pub(in crate::journal) fn ensure(&mut self, _: &str) -> Result<Option<KeyRow>, JournalError> {
        match *self {}
    }
    pub(in crate::journal) fn forget(&mut self, _: &str) {
        match *self {}
    }
    pub(in crate::journal) fn destroy(&mut self, _: &str) {
        match *self {}
    }
    pub(in crate::journal) fn seal(
        &self,
        _: usize,
        _: &str,
        _: &str,
        _: &str,
    ) -> Result<String, JournalError> {
        match *self {}
    }
    pub(in crate::journal) fn open(
        &self,
        _: u64,
        _: &Parts<'_>,
    ) -> Result<Option<Vec<u8>>, JournalError> {
        match *self {}
    }
    /// True when the key exists and was destroyed.
    pub fn is_destroyed(&self, _: &str) -> bool {
        match *self {}
    }
    /// True when the key exists and is live.
    pub fn is_live(&self, _: &str) -> bool {
        match *self {}
    }
}
