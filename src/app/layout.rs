//! The frame around every page: a skip link, the header with the product
//! name (and, when signed in, the navigation and a sign-out button), the main
//! landmark and a footer.

// `#[component]` widens the visibility of the items it generates.
#![allow(unreachable_pub)]

use leptos::prelude::*;
use leptos_router::components::A;

use super::forms::LINK;
use super::session::{provide_viewer, SignOutButton, Viewer};

/// The frame; provides the [`Viewer`] to every page inside it.
#[component]
pub(super) fn Layout(children: Children) -> impl IntoView {
    let viewer = provide_viewer();
    view! {
        <a
            href="#main"
            class="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-10 focus:rounded-lg focus:bg-white focus:px-4 focus:py-2 focus:shadow"
        >
            "Skip to content"
        </a>
        <Header viewer/>
        <main id="main" tabindex="-1" class="mx-auto w-full max-w-4xl px-4 py-10 sm:px-6 sm:py-14">
            {children()}
        </main>
        <footer class="mx-auto w-full max-w-4xl px-4 pb-10 text-center text-xs text-slate-500 sm:px-6">
            "Latchkey · self-hosted authentication"
        </footer>
    }
}

#[component]
fn Header(viewer: Viewer) -> impl IntoView {
    let Viewer(user) = viewer;
    let signed_in = move || matches!(user.get(), Some(Ok(Some(_))));
    view! {
        <header class="border-b border-slate-200 bg-white/90 backdrop-blur">
            <div class="mx-auto flex w-full max-w-4xl flex-wrap items-center justify-between gap-3 px-4 py-3 sm:px-6">
                <a href="/" class="flex items-center gap-2 text-lg font-semibold tracking-tight text-slate-900">
                    <KeyIcon/>
                    "Latchkey"
                </a>
                <Transition>
                    <Show
                        when=signed_in
                        fallback=|| {
                            view! {
                                <nav aria-label="Account" class="flex items-center gap-4 text-sm">
                                    <A href="/sign-in" attr:class=LINK>"Sign in"</A>
                                    <A href="/sign-up" attr:class=LINK>"Sign up"</A>
                                </nav>
                            }
                        }
                    >
                        <nav aria-label="Main" class="flex flex-wrap items-center gap-1 text-sm">
                            <NavLink href="/account" label="Account"/>
                            <NavLink href="/organizations" label="Organizations"/>
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

/// A navigation link; the router marks the current page with `aria-current`.
#[component]
fn NavLink(href: &'static str, label: &'static str) -> impl IntoView {
    view! {
        <A
            href=href
            attr:class="rounded-lg px-3 py-1.5 font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900 aria-[current=page]:bg-indigo-50 aria-[current=page]:text-indigo-700"
        >
            {label}
        </A>
    }
}

#[component]
fn KeyIcon() -> impl IntoView {
    view! {
        <span class="grid h-8 w-8 place-items-center rounded-lg bg-indigo-600 text-white" aria-hidden="true">
            <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" class="h-5 w-5">
                <circle cx="8" cy="15" r="4"/>
                <path d="M10.8 12.2 19 4m-3 3 2 2m-4 0 1.5 1.5" stroke-linecap="round"/>
            </svg>
        </span>
    }
}
