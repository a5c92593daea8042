//! Outgoing mail through lettre: SMTP when `SMTP_URL` is set, otherwise one
//! RFC 5322 `.eml` file per mail in `MAIL_OUTBOX` (the dev inbox the tests
//! read). Every mail has a plain-text and an HTML part.
//!
//! Mails are sent in the background ([`Mailer::send_later`]) so that a request
//! answers in the same time whether or not a mail was due — the timing of
//! `/password-reset` must not reveal whether an account exists. A failed send
//! is logged without the mail's body, which holds the token.

use std::path::PathBuf;

use anyhow::Context as _;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncFileTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;
use tracing::Instrument;

use crate::auth::Email;
use crate::config::{Config, MailTransport};

/// One mail to send.
pub struct Mail {
    /// Canonical recipient.
    pub to: Email,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// HTML body.
    pub html: String,
}

#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(AsyncFileTransport<Tokio1Executor>, PathBuf),
}

/// Sends mail through the configured transport.
#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

impl Mailer {
    /// Builds the transport named by the configuration.
    pub fn new(config: &Config) -> anyhow::Result<Self> {
        let transport = match &config.mail {
            MailTransport::Smtp(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
                    .context("SMTP_URL is not usable")?
                    .build(),
            ),
            MailTransport::Outbox(dir) => {
                crate::store::create_private_dir(dir)
                    .with_context(|| format!("Failed to create MAIL_OUTBOX {}", dir.display()))?;
                Transport::Outbox(AsyncFileTransport::new(dir), dir.clone())
            }
        };
        Ok(Self {
            transport,
            from: config.mail_from.clone(),
        })
    }

    /// Sends now and reports the outcome.
    pub async fn send(&self, mail: Mail) -> anyhow::Result<()> {
        let to: Mailbox = mail
            .to
            .as_str()
            .parse()
            .context("recipient is not a mailbox")?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject)
            .multipart(MultiPart::alternative_plain_html(mail.text, mail.html))
            .context("Failed to build a mail")?;
        match &self.transport {
            Transport::Smtp(smtp) => {
                smtp.send(message)
                    .await
                    .context("Failed to send a mail over SMTP")?;
            }
            Transport::Outbox(file, dir) => {
                file.send(message)
                    .await
                    .with_context(|| format!("Failed to write a mail into {}", dir.display()))?;
            }
        }
        Ok(())
    }

    /// Sends now; a failure is logged (without the body), not returned.
    pub async fn deliver(&self, mail: Mail, kind: &'static str) {
        match self.send(mail).await {
            Ok(()) => tracing::info!(kind, "mail sent"),
            Err(e) => tracing::error!(kind, error = format!("{e:#}"), "mail not sent"),
        }
    }

    /// Sends in the background; a failure is logged (without the body).
    pub fn send_later(&self, mail: Mail, kind: &'static str) {
        let mailer = self.clone();
        let work = async move { mailer.deliver(mail, kind).await };
        tokio::spawn(work.instrument(tracing::Span::current()));
    }
}

/// The password-reset mail.
pub fn password_reset(to: Email, link: &str, ttl_minutes: i64) -> Mail {
    let href = link.replace('&', "&amp;");
    Mail {
        to,
        subject: "Reset your password".to_owned(),
        text: format!(
            "Someone asked to reset the password of this account.\n\n\
             Open this link to choose a new one (it expires in {ttl_minutes} minutes \
             and works once):\n\n{link}\n\n\
             If it was not you, ignore this mail; your password stays as it is.\n"
        ),
        html: format!(
            "<p>Someone asked to reset the password of this account.</p>\
             <p><a href=\"{href}\">Choose a new password</a>: the link expires in \
             {ttl_minutes} minutes and works once.</p>\
             <p>If it was not you, ignore this mail; your password stays as it is.</p>"
        ),
    }
}
