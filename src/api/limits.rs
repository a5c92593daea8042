//! Rate limits of the auth endpoints: GCRA limiters (the `governor` crate),
//! in process, keyed both by client network and by target account.
//!
//! | action | per client network | per account (canonical email) |
//! |---|---|---|
//! | sign-in | 30 / min, burst 30 | 10 / 15 min, burst 10 |
//! | sign-up | 10 / 10 min, burst 10 | — (`EMAIL_EXISTS` is limited per network) |
//! | password-reset (mails) | 10 / 15 min, burst 10 | 5 / 15 min, burst 5 |
//! | password-reset/confirm | 20 / min, burst 20 | — |
//!
//! A client network is the IPv4 address, or the /64 of an IPv6 address
//! (IPv4-mapped IPv6 addresses count as IPv4).
//!
//! Limits: counters live in this process only, so N processes allow N times
//! the rate; shared counters in Redis come with the scale-out work.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::auth::{AuthError, AuthResult, Email};

/// What is being attempted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// `POST /sign-in`.
    SignIn,
    /// `POST /sign-up`.
    SignUp,
    /// `POST /password-reset`.
    PasswordReset,
    /// `POST /password-reset/confirm`.
    PasswordResetConfirm,
}

type Keyed = DefaultKeyedRateLimiter<String>;

struct Rule {
    by_network: Keyed,
    by_account: Option<Keyed>,
}

/// The limiters of every action; cheap to clone.
#[derive(Clone)]
pub struct Limits {
    rules: Arc<[(Action, Rule)]>,
}

impl Limits {
    /// The documented limits.
    pub fn new() -> Self {
        let rules = vec![
            (Action::SignIn, rule((30, 60), Some((10, 15 * 60)))),
            (Action::SignUp, rule((10, 10 * 60), None)),
            (
                Action::PasswordReset,
                rule((10, 15 * 60), Some((5, 15 * 60))),
            ),
            (Action::PasswordResetConfirm, rule((20, 60), None)),
        ];
        Self {
            rules: rules.into(),
        }
    }

    /// Counts one attempt of `action` from `ip` on `account`; `RateLimited`
    /// with the seconds to wait when either key is over its limit.
    pub fn check(
        &self,
        action: Action,
        ip: Option<&str>,
        account: Option<&Email>,
    ) -> AuthResult<()> {
        let Some((_, rule)) = self.rules.iter().find(|(a, _)| *a == action) else {
            return Ok(());
        };
        if let Some(ip) = ip {
            over(&rule.by_network, network_key(ip))?;
        }
        if let (Some(limiter), Some(email)) = (&rule.by_account, account) {
            over(limiter, email.as_str().to_owned())?;
        }
        Ok(())
    }

    /// Forgets keys whose limits have fully recovered, so that memory stays
    /// bounded by recent traffic.
    pub fn forget_idle(&self) {
        for (_, rule) in self.rules.iter() {
            rule.by_network.retain_recent();
            if let Some(limiter) = &rule.by_account {
                limiter.retain_recent();
            }
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::new()
    }
}

/// `burst` attempts at once, replenished evenly over `period_secs`.
fn quota(burst: u32, period_secs: u64) -> Quota {
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    let every = Duration::from_secs(period_secs) / burst.get();
    Quota::with_period(every)
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(burst)
}

fn rule(network: (u32, u64), account: Option<(u32, u64)>) -> Rule {
    Rule {
        by_network: RateLimiter::keyed(quota(network.0, network.1)),
        by_account: account.map(|(n, p)| RateLimiter::keyed(quota(n, p))),
    }
}

fn over(limiter: &Keyed, key: String) -> AuthResult<()> {
    limiter.check_key(&key).map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        AuthError::RateLimited {
            retry_after: wait.as_secs().max(1),
        }
    })
}

/// The key of a client network: an IPv4 address, or the /64 of an IPv6 one.
pub fn network_key(ip: &str) -> String {
    match ip.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Err(_) => ip.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_are_grouped_by_their_64() {
        assert_eq!(network_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(network_key("2001:db8:1:2:bbbb::9"), "2001:db8:1:2::/64");
        assert_eq!(network_key("::ffff:192.0.2.7"), "192.0.2.7");
        assert_eq!(network_key("192.0.2.7"), "192.0.2.7");
    }

    #[test]
    fn an_account_is_limited_whatever_the_network() {
        let limits = Limits::new();
        let email = Email::parse("ada@example.com").unwrap();
        for i in 0..10 {
            let ip = format!("192.0.2.{i}");
            assert!(limits
                .check(Action::SignIn, Some(&ip), Some(&email))
                .is_ok());
        }
        let refused = limits.check(Action::SignIn, Some("198.51.100.1"), Some(&email));
        assert!(matches!(refused, Err(AuthError::RateLimited { retry_after }) if retry_after >= 1));
    }

    #[test]
    fn at_least_three_reset_mails_per_address_are_allowed() {
        let limits = Limits::new();
        let email = Email::parse("ada@example.com").unwrap();
        for _ in 0..3 {
            assert!(limits
                .check(Action::PasswordReset, Some("192.0.2.1"), Some(&email))
                .is_ok());
        }
    }
}
