//! Organizations of the native provider: list and create.

use crate::auth::error::Context as _;
use crate::auth::{
    AuthError, AuthResult, Caller, Membership, NewOrganization, Organization, RequestMeta, Role,
};
use crate::crypto::tokens::new_id;
use crate::store::native::{self as q, CreateOrganizationError};
use crate::store::Db;

/// Slugs generated from a name get a random suffix when taken; this many tries.
const SLUG_ATTEMPTS: usize = 4;

pub(super) async fn list(db: &Db, caller: &Caller) -> AuthResult<Vec<Membership>> {
    let rows = q::list_memberships(db, &caller.user.id)
        .await
        .context("Failed to list organizations")?;
    Ok(rows
        .into_iter()
        .map(|r| Membership {
            role: Role::parse(&r.role).unwrap_or(Role::Member),
            id: r.id,
            name: r.name,
            slug: r.slug,
            logo: r.logo,
            created_at: r.created_at,
        })
        .collect())
}

pub(super) async fn create(
    db: &Db,
    req: &RequestMeta,
    caller: &Caller,
    input: NewOrganization,
) -> AuthResult<Organization> {
    let generated = input.slug.is_none();
    let base = match input.slug {
        Some(slug) => slug,
        None => slugify(&input.name),
    };
    let id = new_id("org");
    for attempt in 0..SLUG_ATTEMPTS {
        let slug = if attempt == 0 {
            base.clone()
        } else {
            with_suffix(&base)
        };
        let created = q::create_organization(
            db,
            &id,
            &input.name,
            &slug,
            &new_id("mem"),
            &caller.user.id,
            req.now,
        )
        .await;
        match created {
            Ok(()) => {
                tracing::info!(user_id = %caller.user.id, organization_id = %id, "organization created");
                return Ok(Organization {
                    id,
                    name: input.name,
                    slug,
                    logo: None,
                    created_at: req.now,
                });
            }
            Err(CreateOrganizationError::SlugTaken) if generated => continue,
            Err(CreateOrganizationError::SlugTaken) => {
                return Err(AuthError::Conflict("This slug is already taken"))
            }
            Err(CreateOrganizationError::Db(e)) => {
                return Err(e).context("Failed to create an organization")
            }
        }
    }
    Err(AuthError::Conflict(
        "No free slug could be generated; choose one",
    ))
}

/// Checks a wanted slug: 2–48 of `a-z`, `0-9` and single inner hyphens.
pub fn parse_slug(input: &str) -> Result<String, &'static str> {
    let ok = (2..=48).contains(&input.len())
        && input
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !input.starts_with('-')
        && !input.ends_with('-')
        && !input.contains("--");
    if ok {
        Ok(input.to_owned())
    } else {
        Err("must be 2-48 lowercase letters, digits or single hyphens")
    }
}

/// A slug derived from a display name.
fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= 40 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-').to_owned();
    if slug.len() < 2 {
        format!(
            "org-{}",
            new_id("x")
                .split_at(2)
                .1
                .to_ascii_lowercase()
                .get(..6)
                .unwrap_or("0")
        )
    } else {
        slug
    }
}

fn with_suffix(base: &str) -> String {
    let suffix = new_id("x")[2..8].to_ascii_lowercase();
    format!("{base}-{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_derived_from_names() {
        assert_eq!(slugify("Acme, Inc."), "acme-inc");
        assert_eq!(slugify("  Ünïcode Team  "), "n-code-team");
        assert!(slugify("!!").starts_with("org-"));
    }

    #[test]
    fn wanted_slugs_are_checked() {
        assert!(parse_slug("acme").is_ok());
        assert!(parse_slug("acme-2").is_ok());
        for bad in [
            "a",
            "Acme",
            "-acme",
            "acme-",
            "ac--me",
            "ac me",
            &"a".repeat(49),
        ] {
            assert!(parse_slug(bad).is_err(), "{bad}");
        }
    }
}
