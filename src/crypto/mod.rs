//! Hashing and token helpers. Nothing here is hand-rolled cryptography: it
//! composes RustCrypto primitives with the parameters the project fixes.

pub mod password;
pub mod tokens;
