//! The pages: server-rendered, then hydrated.
//!
//! One module per page, each holding its server functions and, in a
//! `cfg(feature = "ssr")` module, the server side of them, which calls the
//! active provider exactly as the JSON API does (`src/api`); no business
//! rule lives here. Server functions answer under `/_app/…`, never under
//! `/api/auth`, which is the JSON contract.
//!
//! Every form is an `ActionForm`. Before the WebAssembly has loaded it is a
//! plain HTML form whose post is answered with a redirect (see
//! [`server`](self::server) for how failures come back); after hydration it
//! calls its server function without reloading the page. Every route renders
//! in `SsrMode::Async`, so that the redirects of signed-out (and signed-in)
//! visitors are real `302`s.
//!
//! Limits: a sign-in that needs a second factor answers `NOT_SUPPORTED`, as
//! the JSON API does until two-factor lands; a `redirectTo` that the
//! configuration does not trust is silently replaced by `/account` rather
//! than refused, since it came from a link rather than from the visitor.

// The page modules are public: their server functions and the plain data
// types those return are the pages' own API, callable from tests.
pub mod account;
pub mod error;
pub mod organizations;
pub mod password;
pub mod session;
pub mod sessions;
pub mod sign_in;
pub mod sign_up;

mod forms;
mod layout;
#[cfg(feature = "ssr")]
mod server;
#[cfg(all(test, feature = "ssr"))]
mod tests;
mod ui;
mod url;

use std::fmt;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};
use serde::{Deserialize, Serialize};

pub use error::PageError;

use account::AccountPage;
use layout::Layout;
use organizations::OrganizationsPage;
use password::{ForgotPasswordPage, ResetPasswordPage};
use session::Home;
use sign_in::SignInPage;
use sign_up::SignUpPage;

/// A form value that holds a secret (a password). It travels to the server
/// as the plain string it is, but its `Debug` prints nothing (server
/// functions derive `Debug` on their arguments), and only server code can
/// read it.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

#[cfg(feature = "ssr")]
impl Secret {
    /// The plain text, for parsing into a `Password` only.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

/// The HTML document around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en" class="h-full">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href=FAVICON/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body class="min-h-full bg-slate-50 text-slate-900 antialiased">
                <App/>
            </body>
        </html>
    }
}

/// The key of the header as an inline SVG icon, so that no file is needed.
const FAVICON: &str = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' \
    viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='8' fill='%234f46e5'/%3E\
    %3Cg fill='none' stroke='white' stroke-width='2.5' stroke-linecap='round'%3E\
    %3Ccircle cx='12' cy='19' r='5'/%3E%3Cpath d='m15.5 15.5 9-9m-3.5 3.5 2.5 2.5'/%3E\
    %3C/g%3E%3C/svg%3E";

/// The routed app.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    mark_hydrated();
    view! {
        <Stylesheet id="leptos" href="/pkg/latchkey.css"/>
        <Title text="Latchkey"/>
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home ssr=SsrMode::Async/>
                    <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/sign-up") view=SignUpPage ssr=SsrMode::Async/>
                    <Route
                        path=path!("/forgot-password")
                        view=ForgotPasswordPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/reset-password") view=ResetPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/organizations") view=OrganizationsPage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}

/// Sets `data-hydrated="true"` on `<body>` once the WebAssembly runs, so that
/// browser tests can wait for the interactive page.
fn mark_hydrated() {
    Effect::new(|| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found · Latchkey"/>
        <div class="mx-auto max-w-md text-center">
            <h1 class="text-2xl font-semibold tracking-tight">"Page not found"</h1>
            <p class="mt-2 text-sm text-slate-600">
                "There is nothing at this address. " <a href="/" class=ui::LINK>"Go home"</a>
            </p>
        </div>
    }
}
