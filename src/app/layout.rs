//! The frame around every page: a skip link, the header with the product
//! name (and, when signed in, the navigation and a sign-out button), the main
//! landmark and a footer.

// `#[component]` widens the visibility of the items it generates.
#![allow(unreachable_pub)]

use leptos::prelude::*;
use leptos_router::components::A;

use super::session::{provide_viewer, SignOutButton, Viewer};
use super::ui::LINK;

/// The width and side padding shared by the header, the page and the footer.
const COLUMN: &str = "mx-auto w-full max-w-4xl px-4 sm:px-6";

const SKIP_LINK: &str = "sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 \
    focus:z-10 focus:rounded-lg focus:bg-white focus:px-4 focus:py-2 focus:shadow";

const NAV_LINK: &str = "rounded-lg px-3 py-1.5 font-medium text-slate-600 hover:bg-slate-100 \
    hover:text-slate-900 aria-[current=page]:bg-indigo-50 aria-[current=page]:text-indigo-700";

/// The frame; provides the [`Viewer`] to every page inside it.
#[component]
pub(super) fn Layout(children: Children) -> impl IntoView {
    let viewer = provide_viewer();
    view! {
        <a href="#main" class=SKIP_LINK>"Skip to content"</a>
        <Header viewer/>
        <main id="main" tabindex="-1" class=format!("{COLUMN} py-10 sm:py-14")>{children()}</main>
        <footer class=format!("{COLUMN} pb-10 text-center text-xs text-slate-500")>
            "Latchkey · self-hosted authentication"
        </footer>
    }
}

#[component]
fn Header(viewer: Viewer) -> impl IntoView {
    let Viewer(user) = viewer;
    let signed_in = move || matches!(user.get(), Some(Ok(Some(_))));
    let signed_out = || {
        view! {
            <nav aria-label="Account" class="flex items-center gap-4 text-sm">
                <A href="/sign-in" attr:class=LINK>"Sign in"</A>
                <A href="/sign-up" attr:class=LINK>"Sign up"</A>
            </nav>
        }
    };
    let bar = format!("{COLUMN} flex flex-wrap items-center justify-between gap-3 py-3");
    view! {
        <header class="border-b border-slate-200 bg-white/90 backdrop-blur">
            <div class=bar>
                <a href="/" class="flex items-center gap-2 text-lg font-semibold tracking-tight">
                    <KeyIcon/>
                    "Latchkey"
                </a>
                <Transition>
                    <Show when=signed_in fallback=signed_out>
                        <nav aria-label="Main" class="flex flex-wrap items-center gap-1 text-sm">
                            <A href="/account" attr:class=NAV_LINK>"Account"</A>
                            <A href="/organizations" attr:class=NAV_LINK>"Organizations"</A>
                            <div class="ml-2">
                                <SignOutButton/>
                            </div>
                        </nav>
                    </Show>
                </Transition>
            </div>
        </header>
    }
}

#[component]
fn KeyIcon() -> impl IntoView {
    let tile = "grid h-8 w-8 place-items-center rounded-lg bg-indigo-600 text-white";
    view! {
        <span class=tile aria-hidden="true">
            <svg viewBox="0 0 24 24" class="size-5" fill="none" stroke="currentColor">
                <circle cx="8" cy="15" r="4" stroke-width="2"/>
                <path
                    d="M10.8 12.2 19 4m-3 3 2 2m-4 0 1.5 1.5"
                    stroke-width="2"
                    stroke-linecap="round"
                />
            </svg>
        </span>
    }
}
