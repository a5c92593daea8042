//! `/organizations`: the caller's organizations with their role, and a form
//! that creates one (the caller becomes its owner).

use leptos::either::{Either, EitherOf3};
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::error::PageError;
use super::forms::{form_errors, query_notice, submission, Field, FormAlert, Notice, SubmitButton};
use super::ui::{Badge, Card, LoadFailed, Loading, Moment, PageHeading, Tone};
use super::url::sign_in_returning_to;

/// One organization, as its member sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgView {
    /// Opaque id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// URL-safe unique handle.
    pub slug: String,
    /// The caller's role: `owner`, `admin` or `member`.
    pub role: String,
    /// When it was created (RFC 3339).
    pub created_at: String,
}

/// The caller's organizations; `UNAUTHORIZED` when signed out.
#[server(prefix = "/_app", endpoint = "organizations")]
pub async fn load_organizations() -> Result<Vec<OrgView>, PageError> {
    ssr::load_organizations().await
}

/// Creates an organization owned by the caller. An empty slug is derived
/// from the name.
#[server(prefix = "/_app", endpoint = "create-organization")]
pub async fn create_organization(name: String, slug: Option<String>) -> Result<OrgView, PageError> {
    ssr::create_organization(name, slug).await
}

/// What this page says for codes it knows better than the defaults.
const MESSAGES: &[(&str, &str)] = &[("CONFLICT", "That slug is already taken. Choose another.")];

/// The organizations page.
#[component]
pub fn OrganizationsPage() -> impl IntoView {
    let create = ServerAction::<CreateOrganization>::new();
    let list = Resource::new(move || create.version().get(), |_| load_organizations());
    let errors = form_errors(create, MESSAGES);
    let from_url = query_notice();
    let notice = Signal::derive(move || match submission(create) {
        Some(None) => Some("The organization was created."),
        Some(Some(_)) => None,
        None => from_url.get(),
    });
    let form = NodeRef::<html::Form>::new();
    Effect::new(move || {
        if submission(create) == Some(None) {
            if let Some(form) = form.get() {
                form.reset();
            }
        }
    });
    let query = use_query_map().get_untracked();
    let name = query.get("name").unwrap_or_default();
    let slug = query.get("slug").unwrap_or_default();

    view! {
        <div class="space-y-8">
            <PageHeading title="Organizations" intro="Teams you belong to, and your role in each."/>
            <Notice text=notice/>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(orgs) => EitherOf3::A(view! { <OrganizationList orgs/> }),
                        Err(e) if e.code == "UNAUTHORIZED" => EitherOf3::B(view! {
                            <Redirect path=sign_in_returning_to("/organizations")/>
                        }),
                        Err(e) => EitherOf3::C(view! { <LoadFailed error=e/> }),
                    }
                })}
            </Transition>
            <Card id="create-heading" title="Create an organization" intro="You become its owner.">
                <div class="space-y-5">
                    <FormAlert errors/>
                    <ActionForm action=create node_ref=form attr:class="grid gap-5 sm:grid-cols-2">
                        <Field
                            name="name"
                            label="Organization name"
                            autocomplete="organization"
                            value=name
                            errors
                        />
                        <Field
                            name="slug"
                            label="Slug"
                            value=slug
                            required=false
                            hint=SLUG_HINT
                            errors
                            blamed_by=&["CONFLICT"]
                        />
                        <div class="sm:col-span-2 sm:flex sm:justify-end">
                            <div class="sm:w-56">
                                <SubmitButton label="Create organization" pending=create.pending()/>
                            </div>
                        </div>
                    </ActionForm>
                </div>
            </Card>
        </div>
    }
}

const SLUG_HINT: &str =
    "Optional. Lowercase letters, digits and hyphens; made from the name when empty.";

const EMPTY: &str = "rounded-2xl border border-dashed border-slate-300 bg-white px-6 py-10 \
    text-center text-sm text-slate-600";
const LIST: &str =
    "divide-y divide-slate-100 rounded-2xl border border-slate-200 bg-white shadow-sm";
const ROW: &str = "flex flex-wrap items-center justify-between gap-3 px-6 py-4";

#[component]
fn OrganizationList(orgs: Vec<OrgView>) -> impl IntoView {
    if orgs.is_empty() {
        return Either::Left(view! {
            <p class=EMPTY>"You are not in any organization yet. Create one below."</p>
        });
    }
    let rows = orgs.into_iter().map(|org| view! { <OrganizationRow org/> });
    Either::Right(view! {
        <ul role="list" class=LIST>{rows.collect_view()}</ul>
    })
}

#[component]
fn OrganizationRow(org: OrgView) -> impl IntoView {
    let tone = match org.role.as_str() {
        "owner" => Tone::Accent,
        "admin" => Tone::Info,
        _ => Tone::Plain,
    };
    view! {
        <li data-testid="organization-row" class=ROW>
            <div class="min-w-0">
                <p class="truncate text-sm font-medium text-slate-900">{org.name}</p>
                <p class="text-xs text-slate-500">
                    <code>{org.slug}</code> " · created " <Moment at=org.created_at/>
                </p>
            </div>
            <Badge tone text=org.role/>
        </li>
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::OrgView;
    use crate::app::error::PageError;
    use crate::app::server::{page_request, Checks, FormBack, PageRequest};
    use crate::app::url::with_query;
    use crate::auth::input::parse_name;
    use crate::auth::model::rfc3339;
    use crate::auth::native::parse_slug;
    use crate::auth::{AuthError, NewOrganization, Role};

    const BACK: &str = "/organizations";

    pub(super) async fn load_organizations() -> Result<Vec<OrgView>, PageError> {
        let req = page_request()?;
        let caller = req.caller().await.map_err(|e| req.reject(e))?;
        let memberships = req.provider().list_organizations(&req.meta, &caller).await;
        let memberships = memberships.map_err(|e| req.reject(e))?;
        Ok(memberships
            .into_iter()
            .map(|m| OrgView {
                id: m.id,
                name: m.name,
                slug: m.slug,
                role: m.role.as_str().to_owned(),
                created_at: rfc3339::format(&m.created_at),
            })
            .collect())
    }

    pub(super) async fn create_organization(
        name: String,
        slug: Option<String>,
    ) -> Result<OrgView, PageError> {
        let req = page_request()?;
        let slug = slug.filter(|s| !s.trim().is_empty());
        attempt(&req, &name, slug.as_deref()).await.map_err(|e| {
            let back = FormBack::to(BACK)
                .echo("name", Some(&name))
                .echo("slug", slug.as_deref());
            req.fail(e, &back)
        })
    }

    async fn attempt(
        req: &PageRequest,
        name: &str,
        slug: Option<&str>,
    ) -> Result<OrgView, AuthError> {
        let caller = req.caller().await?;
        let mut checks = Checks::default();
        let name = checks.check("name", parse_name(name).and_then(required));
        let slug = slug.and_then(|s| checks.check("slug", parse_slug(s.trim())));
        checks.finish()?;
        let Some(name) = name else {
            return Err(AuthError::field("name", "is required"));
        };

        let input = NewOrganization { name, slug };
        let org = req
            .provider()
            .create_organization(&req.meta, &caller, input)
            .await?;
        if req.is_plain_form() {
            req.redirect(&with_query(BACK, &[("notice", "organization-created")]));
        }
        Ok(OrgView {
            id: org.id,
            name: org.name,
            slug: org.slug,
            role: Role::Owner.as_str().to_owned(),
            created_at: rfc3339::format(&org.created_at),
        })
    }

    fn required(name: String) -> Result<String, &'static str> {
        if name.is_empty() {
            Err("is required")
        } else {
            Ok(name)
        }
    }
}
