//! Stand-in for providers whose implementation has not landed yet
//! (`nextauth`, `clerk`, `authkit`).
//!
//! Limits: every operation answers `NOT_SUPPORTED` (501) and `/capabilities`
//! advertises nothing, so the pages show no sign-in method. The server says so
//! at start.

use super::{AuthProvider, Capabilities, Methods};

/// A provider that supports nothing yet.
pub struct Unsupported {
    name: &'static str,
}

impl Unsupported {
    /// A stand-in answering for `AUTH_PROVIDER=name`.
    pub fn new(name: &'static str) -> Self {
        Self { name }
    }
}

#[async_trait::async_trait]
impl AuthProvider for Unsupported {
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            provider: self.name,
            methods: Methods {
                email_password: false,
                oauth: Vec::new(),
                magic_link: false,
                sso: false,
                two_factor: false,
                passkeys: false,
                organizations: false,
            },
        }
    }
}
