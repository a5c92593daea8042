//! Password hashing: argon2id for everything written here, and verification of
//! Better Auth's scrypt format so that a taken-over database keeps working.
//!
//! Hashing is CPU-bound and takes tens of milliseconds, so it never runs on an
//! async worker: [`Hasher`] sends it to the blocking pool behind a semaphore
//! that admits one hash per core. Each blocking thread keeps its own 19 MiB
//! argon2 work area instead of allocating one per hash, which keeps the
//! resident memory flat under load.

use std::cell::RefCell;
use std::sync::Arc;

use anyhow::{anyhow, Context as _};
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;
use tokio::sync::Semaphore;
use tracing::Instrument;
use unicode_normalization::UnicodeNormalization;

use crate::auth::input::Password;

/// OWASP's minimum for argon2id: 19 MiB, two passes, one lane.
pub const ARGON2_MEMORY_KIB: u32 = 19 * 1024;
/// Passes over memory.
pub const ARGON2_TIME_COST: u32 = 2;
/// Lanes.
pub const ARGON2_LANES: u32 = 1;

/// The result of checking a password against a stored hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Wrong password (or an unreadable hash).
    Mismatch,
    /// Right password; `rehash` says the stored hash should be replaced by a
    /// fresh argon2id one (legacy scrypt, or weaker parameters).
    Match {
        /// Whether to store a new hash now.
        rehash: bool,
    },
}

/// Hashes and verifies passwords off the async workers, a bounded number at a
/// time.
#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    dummy: Arc<str>,
}

impl Hasher {
    /// A hasher that runs at most `concurrency` hashes at once.
    pub fn new(concurrency: usize) -> anyhow::Result<Self> {
        let dummy = hash_blocking("latchkey-dummy-password")?;
        Ok(Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            dummy: dummy.into(),
        })
    }

    /// A new argon2id PHC string for `password`.
    pub async fn hash(&self, password: &Password) -> anyhow::Result<String> {
        let plain = zeroizing(password.expose());
        self.run(move || hash_blocking(plain.expose_secret()))
            .await?
    }

    /// Checks `password` against `stored` (argon2 PHC or Better Auth scrypt).
    pub async fn verify(&self, password: &Password, stored: &str) -> anyhow::Result<Verdict> {
        let plain = zeroizing(password.expose());
        let stored = stored.to_owned();
        self.run(move || Ok(verify_blocking(plain.expose_secret(), &stored)))
            .await?
    }

    /// Spends the same time as a real verification, for unknown accounts, so
    /// that timing does not reveal whether an email is registered.
    pub async fn verify_dummy(&self, password: &Password) -> anyhow::Result<()> {
        let plain = zeroizing(password.expose());
        let dummy = self.dummy.clone();
        self.run(move || {
            verify_blocking(plain.expose_secret(), &dummy);
            Ok(())
        })
        .await?
    }

    async fn run<T, F>(&self, work: F) -> anyhow::Result<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let _permit = self
            .permits
            .acquire()
            .await
            .context("hasher is shut down")?;
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || span.in_scope(work))
            .instrument(tracing::debug_span!("password_hash"))
            .await
            .context("Failed to run a password hash")
    }
}

/// A copy of the password for the blocking pool, wiped from memory when dropped.
fn zeroizing(s: &str) -> SecretString {
    SecretString::from(s)
}

fn params() -> Params {
    // The constants are within argon2's documented bounds, so this cannot fail;
    // the fallback keeps the crate's own defaults (also OWASP-compliant).
    Params::new(ARGON2_MEMORY_KIB, ARGON2_TIME_COST, ARGON2_LANES, Some(32)).unwrap_or_default()
}

thread_local! {
    static WORK_AREA: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Runs argon2id into `out` with this thread's reusable work area.
fn argon2_into(plain: &[u8], salt: &[u8], params: Params, out: &mut [u8]) -> anyhow::Result<()> {
    let blocks = params.block_count();
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    WORK_AREA.with(|area| {
        let mut area = area.borrow_mut();
        if area.len() < blocks {
            area.resize(blocks, Block::default());
        }
        argon
            .hash_password_into_with_memory(plain, salt, out, &mut area[..blocks])
            .map_err(|e| anyhow!("argon2 failed: {e}"))
    })
}

fn hash_blocking(plain: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    let mut salt_raw = [0u8; 16];
    let salt_raw = salt
        .decode_b64(&mut salt_raw)
        .map_err(|e| anyhow!("salt: {e}"))?;
    let params = params();
    let mut out = [0u8; 32];
    argon2_into(plain.as_bytes(), salt_raw, params.clone(), &mut out)?;

    let phc = PasswordHash {
        algorithm: argon2::ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| anyhow!("params: {e}"))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| anyhow!("output: {e}"))?),
    };
    Ok(phc.to_string())
}

fn verify_blocking(plain: &str, stored: &str) -> Verdict {
    if stored.starts_with("$argon2") {
        verify_argon2(plain, stored)
    } else {
        verify_better_auth_scrypt(plain, stored)
    }
}

fn verify_argon2(plain: &str, stored: &str) -> Verdict {
    let Ok(phc) = PasswordHash::new(stored) else {
        return Verdict::Mismatch;
    };
    let (Ok(params), Some(salt), Some(expected)) = (Params::try_from(&phc), phc.salt, phc.hash)
    else {
        return Verdict::Mismatch;
    };
    if phc.algorithm != argon2::ARGON2ID_IDENT {
        return Verdict::Mismatch;
    }
    let mut salt_raw = [0u8; 64];
    let Ok(salt_raw) = salt.decode_b64(&mut salt_raw) else {
        return Verdict::Mismatch;
    };
    let weaker = params.m_cost() < ARGON2_MEMORY_KIB || params.t_cost() < ARGON2_TIME_COST;
    let mut out = vec![0u8; expected.len()];
    if argon2_into(plain.as_bytes(), salt_raw, params, &mut out).is_err() {
        return Verdict::Mismatch;
    }
    if bool::from(out.as_slice().ct_eq(expected.as_bytes())) {
        Verdict::Match { rehash: weaker }
    } else {
        Verdict::Mismatch
    }
}

/// Better Auth's format: `saltHex:keyHex`, where the key is scrypt (N = 16384,
/// r = 16, p = 1, 64 bytes) of the NFKC password, salted with the UTF-8 bytes
/// of the hex salt string itself.
fn verify_better_auth_scrypt(plain: &str, stored: &str) -> Verdict {
    let Some((salt_hex, key_hex)) = stored.split_once(':') else {
        return Verdict::Mismatch;
    };
    let Ok(expected) = hex::decode(key_hex) else {
        return Verdict::Mismatch;
    };
    let Ok(params) = scrypt::Params::new(14, 16, 1, 64) else {
        return Verdict::Mismatch;
    };
    let normalized: String = plain.nfkc().collect();
    let mut key = [0u8; 64];
    if scrypt::scrypt(
        normalized.as_bytes(),
        salt_hex.as_bytes(),
        &params,
        &mut key,
    )
    .is_err()
    {
        return Verdict::Mismatch;
    }
    if expected.len() == 64 && bool::from(key.ct_eq(&expected[..])) {
        Verdict::Match { rehash: true }
    } else {
        Verdict::Mismatch
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pw(s: &str) -> Password {
        Password::parse(s).unwrap()
    }

    #[tokio::test]
    async fn argon2id_hashes_verify_and_reject_other_passwords() {
        let hasher = Hasher::new(2).unwrap();
        let hash = hasher.hash(&pw("correct horse")).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        let good = hasher.verify(&pw("correct horse"), &hash).await.unwrap();
        assert_eq!(good, Verdict::Match { rehash: false });
        let bad = hasher.verify(&pw("wrong horse"), &hash).await.unwrap();
        assert_eq!(bad, Verdict::Mismatch);
    }

    #[tokio::test]
    async fn better_auth_scrypt_vector_verifies_and_asks_for_rehash() {
        let hasher = Hasher::new(1).unwrap();
        let stored = "5f2d0c9a8b7e6d4c3b2a190817263544:15139cb8eaf365db3ef83ed381a653ae\
            44c4c48c2ee0240d8cc8cad34d567f7ba44acd578e9e2cd1f02f240c478574b90619efcb42\
            0a4c1906c859463f953461";
        let ok = hasher
            .verify(&pw("correct horse battery staple"), stored)
            .await
            .unwrap();
        assert_eq!(ok, Verdict::Match { rehash: true });
        let bad = hasher
            .verify(&pw("correct horse battery stapler"), stored)
            .await
            .unwrap();
        assert_eq!(bad, Verdict::Mismatch);
    }

    #[tokio::test]
    async fn garbage_hashes_never_match() {
        let hasher = Hasher::new(1).unwrap();
        for stored in ["", "$argon2id$nonsense", "zz:zz", "abc"] {
            let v = hasher.verify(&pw("whatever123"), stored).await.unwrap();
            assert_eq!(v, Verdict::Mismatch);
        }
    }
}
