//! The conformance suite: `API.md`, checked over real HTTP against a real
//! server started in this process on `127.0.0.1:0`, once per provider and
//! storage backend.
//!
//! Each case is an `async fn(Harness)` written once; [`conformance!`] turns a
//! list of cases into one `#[tokio::test]` per provider and backend, named
//! `<module>::<provider>::<backend>::<case>` so that any slice can be run with
//! a filter (`cargo test --features ssr --test api -- sqlite::`).
//!
//! PostgreSQL variants need a reachable server (`DATABASE_URL_PG`, default
//! `postgres://postgres@127.0.0.1:5432/test`) and fail loudly without one,
//! unless `LATCHKEY_SKIP_PG=1` says to skip them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

/// Generates the tests of a module from its cases.
///
/// - `conformance!(case_a, case_b)`: every provider of the suite. Adding a
///   provider to the whole suite is one more name in the first arm.
/// - `conformance!(only [clerk, authkit] { case_a })`: the providers named.
///
/// A module invokes it once (each invocation defines `mod <provider>`).
macro_rules! conformance {
    ($($case:ident),+ $(,)?) => {
        conformance!(only [betterauth] { $($case),+ });
    };
    (only [$($provider:ident),+ $(,)?] $cases:tt) => {
        $( conformance!(@provider $provider $cases); )+
    };
    (@provider $provider:ident { $($case:ident),+ $(,)? }) => {
        mod $provider {
            mod sqlite {
                $(
                    #[tokio::test]
                    async fn $case() {
                        let backend = crate::harness::Backend::Sqlite;
                        crate::harness::run(stringify!($provider), backend, super::super::$case)
                            .await;
                    }
                )+
            }
            mod postgres {
                $(
                    #[tokio::test]
                    async fn $case() {
                        let backend = crate::harness::Backend::Postgres;
                        crate::harness::run(stringify!($provider), backend, super::super::$case)
                            .await;
                    }
                )+
            }
        }
    };
}

mod harness;

mod csrf;
mod envelope;
mod expiry;
mod hardening;
mod organizations;
mod password_reset;
mod rate_limits;
mod sessions;
mod sign_in;
mod sign_out;
mod sign_up;
mod stand_ins;
mod takeover;
