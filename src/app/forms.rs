//! What every form shares: labelled fields that announce their problems, the
//! form-level alert, status notices, the submit button, and where a form's
//! errors and notices come from (its last submission, or the URL after a
//! plain form post).

// `#[component]` widens the visibility of the items it generates.
#![allow(unreachable_pub)]

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use super::error::PageError;
use super::ui::{ERROR_BOX, PRIMARY_BUTTON, SUCCESS_BOX};

/// The element id of every page's form-level alert; fields whose problem is
/// told only there point at it with `aria-describedby`.
pub(crate) const FORM_ERROR_ID: &str = "form-error";

const INPUT: &str = "block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 \
    text-base text-slate-900 shadow-sm placeholder:text-slate-400 focus:border-indigo-500 \
    focus:outline-none focus:ring-2 focus:ring-indigo-500/30 sm:text-sm \
    aria-[invalid=true]:border-red-500 aria-[invalid=true]:ring-red-500/20";

/// The outcome of an action's last submission: `None` before any,
/// `Some(None)` after a success, `Some(Some(error))` after a failure.
pub(crate) fn submission<S>(action: ServerAction<S>) -> Option<Option<PageError>>
where
    S: ServerFn<Error = PageError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    action
        .value()
        .with(|v| v.as_ref().map(|r| r.as_ref().err().cloned()))
}

/// The latest outcome among several actions of one page: a success's
/// sentence, or an error.
pub(super) type Outcome = Option<Result<&'static str, PageError>>;

/// Feeds the results of `action` into `latest`, with `done` as the sentence
/// to show on success, so that a page with several forms shows what its last
/// submission did.
pub(super) fn track<S>(action: ServerAction<S>, done: &'static str, latest: RwSignal<Outcome>)
where
    S: ServerFn<Error = PageError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    Effect::watch(
        move || submission(action),
        move |outcome, _, _| {
            if let Some(outcome) = outcome {
                latest.set(Some(outcome.clone().map_or(Ok(done), Err)));
            }
        },
        false,
    );
}

/// The error a plain form post left in the page's URL, if any.
pub(crate) fn query_error(
    overrides: &'static [(&'static str, &'static str)],
) -> Signal<Option<PageError>> {
    let query = use_query_map();
    Signal::derive(move || {
        query.with(|q| {
            let code = q.get_str("error")?;
            Some(PageError::from_query(code, q.get_str("invalid"), overrides))
        })
    })
}

/// The errors a form shows: those of its last submission, or, before any,
/// those a plain form post left in the URL.
pub(crate) fn form_errors<S>(
    action: ServerAction<S>,
    overrides: &'static [(&'static str, &'static str)],
) -> Signal<Option<PageError>>
where
    S: ServerFn<Error = PageError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    let from_query = query_error(overrides);
    Signal::derive(move || submission(action).unwrap_or_else(|| from_query.get()))
}

/// The notice a redirect asked the page to show (`?notice=`), from a fixed
/// list of sentences.
pub(crate) fn query_notice() -> Signal<Option<&'static str>> {
    let query = use_query_map();
    Signal::derive(move || query.with(|q| q.get_str("notice").and_then(notice_text)))
}

/// The sentence for a `?notice=` key.
pub(crate) fn notice_text(key: &str) -> Option<&'static str> {
    Some(match key {
        "password-reset" => {
            "Your password was changed and every session was signed out. \
             Sign in with the new password."
        }
        "signed-out" => "You are signed out.",
        "session-revoked" => "That session was signed out.",
        "sessions-revoked" => "Every other session was signed out.",
        "organization-created" => "The organization was created.",
        "reset-link-sent" => RESET_LINK_SENT,
        _ => return None,
    })
}

/// What the forgot-password page always says once a request was made.
pub(crate) const RESET_LINK_SENT: &str = "If an account exists for that email, we sent it a link \
    to choose a new password. The link works once and expires within the hour.";

/// A labelled input that shows its own problem and tells assistive
/// technology about it (`aria-invalid`, `aria-describedby`).
#[component]
pub(super) fn Field(
    /// The form field's name, also the input's id.
    name: &'static str,
    /// The visible label.
    label: &'static str,
    /// The input type.
    #[prop(default = "text")]
    kind: &'static str,
    /// The `autocomplete` token.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// The initial value (an echo after a plain form post).
    #[prop(optional, into)]
    value: String,
    /// A permanent hint under the input.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// Whether the field must be filled in.
    #[prop(default = true)]
    required: bool,
    /// The form's errors.
    errors: Signal<Option<PageError>>,
    /// Error codes that are this field's fault although they name no field
    /// (`EMAIL_EXISTS` for the email); the form-level alert explains them.
    #[prop(optional)]
    blamed_by: &'static [&'static str],
) -> impl IntoView {
    let problem = move || errors.with(|e| e.as_ref()?.field(name).map(str::to_owned));
    let blamed = move || {
        errors.with(|e| {
            e.as_ref()
                .is_some_and(|e| blamed_by.contains(&e.code.as_str()))
        })
    };
    let error_id = format!("{name}-error");
    let hint_id = format!("{name}-hint");
    let described_by = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if problem().is_some() {
                ids.push(error_id.clone());
            } else if blamed() {
                ids.push(FORM_ERROR_ID.to_owned());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let invalid = move || (problem().is_some() || blamed()).then_some("true");

    view! {
        <div class="space-y-1.5">
            <label for=name class="block text-sm font-medium text-slate-800">{label}</label>
            <input
                id=name
                name=name
                type=kind
                autocomplete=autocomplete
                value=value
                required=required
                aria-invalid=invalid
                aria-describedby=described_by
                class=INPUT
            />
            {hint.map(|text| view! { <p id=hint_id class="text-xs text-slate-500">{text}</p> })}
            {move || {
                problem()
                    .map(|p| {
                        view! {
                            <p id=error_id.clone() class="text-sm text-red-700">
                                {format!("{label} {p}.")}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

/// The form-level error, in a live region that is always present so that
/// screen readers announce what appears in it. When an error names fields,
/// focus moves to the first of them, where the fix is needed.
#[component]
pub(super) fn FormAlert(errors: Signal<Option<PageError>>) -> impl IntoView {
    Effect::new(move || {
        if errors.with(Option::is_some) {
            focus_first_invalid_field();
        }
    });
    view! {
        <div id=FORM_ERROR_ID role="alert">
            {move || {
                errors
                    .get()
                    .map(|e| {
                        view! {
                            <p class=ERROR_BOX>{e.message}</p>
                        }
                    })
            }}
        </div>
    }
}

/// A success notice, in a polite live region.
#[component]
pub(super) fn Notice(text: Signal<Option<&'static str>>) -> impl IntoView {
    view! {
        <div role="status">
            {move || {
                text.get()
                    .map(|t| {
                        view! {
                            <p class=SUCCESS_BOX>{t}</p>
                        }
                    })
            }}
        </div>
    }
}

/// The button that submits a form; disabled while the submission runs.
#[component]
pub(super) fn SubmitButton(
    /// The button's text, also its accessible name.
    label: &'static str,
    /// Whether a submission is running.
    #[prop(into)]
    pending: Signal<bool>,
    /// Its classes.
    #[prop(default = PRIMARY_BUTTON)]
    class: &'static str,
) -> impl IntoView {
    let busy = move || pending.get().then_some("true");
    view! {
        <button type="submit" class=class disabled=move || pending.get() aria-busy=busy>
            {label}
        </button>
    }
}

/// Focuses the first input marked `aria-invalid` (runs in the browser only).
fn focus_first_invalid_field() {
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::HtmlElement;

    let found = document().query_selector("[aria-invalid='true']");
    let field = found
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok());
    if let Some(field) = field {
        let _ = field.focus();
    }
}
