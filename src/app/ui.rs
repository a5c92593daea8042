//! The visual building blocks of the pages: cards, headings, badges, boxes
//! and the classes of buttons and links, so that every page looks alike and
//! the page modules read as structure rather than styling.
//!
//! Tailwind finds its classes by scanning `src/`, so every class here is
//! written out in full, never assembled from pieces.

// `#[component]` widens the visibility of the items it generates.
#![allow(unreachable_pub)]

use leptos::prelude::*;
use leptos_meta::Title;

use super::error::PageError;

/// Classes of a primary button.
pub(super) const PRIMARY_BUTTON: &str = "inline-flex w-full items-center justify-center \
    rounded-lg bg-indigo-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm \
    hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 \
    focus-visible:outline-indigo-600 disabled:cursor-wait disabled:opacity-70";

/// Classes of a secondary (outlined) button.
pub(super) const SECONDARY_BUTTON: &str = "inline-flex items-center justify-center rounded-lg \
    border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm \
    hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 \
    focus-visible:outline-indigo-600 disabled:cursor-wait disabled:opacity-70";

/// Classes of a button that ends something (sign out).
pub(super) const DANGER_BUTTON: &str = "inline-flex items-center justify-center rounded-lg \
    border border-red-200 bg-white px-3 py-1.5 text-sm font-medium text-red-700 shadow-sm \
    hover:bg-red-50 focus-visible:outline-2 focus-visible:outline-offset-2 \
    focus-visible:outline-red-600 disabled:cursor-wait disabled:opacity-70";

/// Classes of an inline link.
pub(super) const LINK: &str = "font-medium text-indigo-700 underline-offset-4 hover:underline \
    focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600";

/// Classes of a box that reports a failure.
pub(super) const ERROR_BOX: &str =
    "rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800";

/// Classes of a box that reports a success.
pub(super) const SUCCESS_BOX: &str =
    "rounded-lg border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-800";

const CARD: &str = "rounded-2xl border border-slate-200 bg-white p-6 shadow-sm";

/// The colour of a [`Badge`].
#[derive(Clone, Copy)]
pub(super) enum Tone {
    /// The accent: the current session, an owner.
    Accent,
    /// Informational: an admin.
    Info,
    /// Good news: a verified email.
    Good,
    /// Needs attention: an unverified email.
    Warn,
    /// Nothing special: a member.
    Plain,
}

impl Tone {
    fn classes(self) -> &'static str {
        match self {
            Self::Accent => "bg-indigo-50 text-indigo-700 ring-indigo-600/20",
            Self::Info => "bg-sky-50 text-sky-700 ring-sky-600/20",
            Self::Good => "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
            Self::Warn => "bg-amber-50 text-amber-800 ring-amber-600/20",
            Self::Plain => "bg-slate-50 text-slate-700 ring-slate-500/20",
        }
    }
}

/// A small rounded label.
#[component]
pub(super) fn Badge(tone: Tone, #[prop(into)] text: String) -> impl IntoView {
    let base = "inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium \
        ring-1 ring-inset";
    view! { <span class=format!("{base} {}", tone.classes())>{text}</span> }
}

/// The card around a signed-out page's form, with the page title.
#[component]
pub(super) fn AuthCard(
    /// The heading, also the document title.
    title: &'static str,
    /// One sentence under the heading.
    intro: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <Title text=format!("{title} · Latchkey")/>
        <div class="mx-auto w-full max-w-md">
            <div class=format!("{CARD} sm:p-8")>
                <h1 class="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
                <p class="mt-2 text-sm text-slate-600">{intro}</p>
                <div class="mt-6 space-y-5">{children()}</div>
            </div>
        </div>
    }
}

/// The heading of a signed-in page, with the page title.
#[component]
pub(super) fn PageHeading(title: &'static str, intro: &'static str) -> impl IntoView {
    view! {
        <Title text=format!("{title} · Latchkey")/>
        <div>
            <h1 class="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
            <p class="mt-1 text-sm text-slate-600">{intro}</p>
        </div>
    }
}

/// A titled section of a signed-in page. `id` names its heading, which
/// labels the section for assistive technology.
#[component]
pub(super) fn Card(
    id: &'static str,
    title: &'static str,
    intro: &'static str,
    /// Shown beside the title (a button acting on the whole card).
    #[prop(optional)]
    aside: Option<AnyView>,
    children: Children,
) -> impl IntoView {
    view! {
        <section aria-labelledby=id class=CARD>
            <div class="flex flex-wrap items-center justify-between gap-3">
                <div>
                    <h2 id=id class="text-lg font-semibold text-slate-900">{title}</h2>
                    <p class="mt-1 text-sm text-slate-600">{intro}</p>
                </div>
                {aside}
            </div>
            <div class="mt-4">{children()}</div>
        </section>
    }
}

/// A moment, readable by people ("2026-12-31 23:59 UTC") and machines.
#[component]
pub(super) fn Moment(
    /// RFC 3339, in UTC.
    at: String,
) -> impl IntoView {
    let text = describe_time(&at);
    view! { <time datetime=at>{text}</time> }
}

/// "2026-12-31 23:59 UTC" for an RFC 3339 timestamp in UTC.
pub(super) fn describe_time(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(date), Some(time)) => format!("{date} {time} UTC"),
        _ => rfc3339.to_owned(),
    }
}

/// Shown while a page's data loads (only ever seen after hydration).
#[component]
pub(super) fn Loading() -> impl IntoView {
    view! { <p class="text-sm text-slate-500" aria-live="polite">"Loading…"</p> }
}

/// Shown when a page's data could not be loaded.
#[component]
pub(super) fn LoadFailed(error: PageError) -> impl IntoView {
    view! { <p class=ERROR_BOX>{error.message}</p> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_to_the_minute_in_utc() {
        assert_eq!(
            describe_time("2026-12-31T23:59:59Z"),
            "2026-12-31 23:59 UTC"
        );
        assert_eq!(describe_time("garbage"), "garbage");
    }
}
