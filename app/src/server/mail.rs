//! Email delivery of notifications through SMTP, when an administrator configures it
//! (`LEADLINE_SMTP_URL`; off by default). A background pass claims the notifications not yet
//! emailed (`notifications::claim_for_email`), sends each in its recipient's language with a
//! link to the lead, and releases a failed one for another try.

use super::db::{now_ms, Db};
use super::notifications::{self, Outgoing};
use crate::error::AppError;
use crate::i18n::fill;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// Notifications older than this when first seen are not emailed (e.g. those made before
/// SMTP was configured).
const EMAIL_WINDOW_MS: i64 = 24 * 3_600_000;
/// Notifications sent per pass.
const BATCH: i64 = 50;

/// A configured SMTP server, the sender, and the address links point to.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    base_url: String,
    /// The server as the settings page shows it (host and port, never the password).
    pub server: String,
}

impl Mailer {
    /// `url`: `smtp://host:port` (plain), `smtp://user:pass@host:587?tls=required`
    /// (STARTTLS) or `smtps://user:pass@host` (TLS); `from`: `Leadline <leads@example.com>`.
    pub fn new(url: &str, from: &str, base_url: &str) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|error| format!("LEADLINE_SMTP_URL: {error}"))?
            .timeout(Some(Duration::from_secs(15)))
            .build();
        let from: Mailbox = from
            .parse()
            .map_err(|error| format!("LEADLINE_SMTP_FROM {from:?}: {error}"))?;
        let server = url
            .split_once("://")
            .map(|(_, rest)| rest)
            .unwrap_or(url)
            .rsplit('@')
            .next()
            .unwrap_or_default()
            .split(['?', '/'])
            .next()
            .unwrap_or_default()
            .to_string();
        Ok(Mailer {
            transport,
            from,
            base_url: base_url.trim_end_matches('/').to_string(),
            server,
        })
    }

    pub fn from_address(&self) -> String {
        self.from.to_string()
    }

    /// Sends one plain-text message.
    pub async fn send(
        &self,
        to: &str,
        name: &str,
        subject: &str,
        body: String,
    ) -> Result<(), String> {
        let to: Mailbox = format!("{name} <{to}>")
            .parse()
            .or_else(|_| to.parse())
            .map_err(|error| format!("recipient {to:?}: {error}"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|error| error.to_string())?;
        self.transport
            .send(message)
            .await
            .map(drop)
            .map_err(|error| error.to_string())
    }

    /// One notification as an email: what happened, and a link to the lead.
    fn compose(&self, outgoing: &Outgoing) -> (String, String) {
        let t = outgoing.locale.t();
        let text = outgoing.notification.text(outgoing.locale);
        let subject = format!("Leadline: {text}");
        let mut body = format!("{text}\n\n");
        if let Some(lead) = outgoing.notification.lead_id {
            body.push_str(&fill(
                t.email_open_lead,
                &[("url", &format!("{}/admin/leads/{lead}", self.base_url))],
            ));
            body.push_str("\n\n");
        }
        body.push_str(&fill(
            t.email_footer,
            &[("url", &format!("{}/admin/leads/today", self.base_url))],
        ));
        body.push('\n');
        (subject, body)
    }
}

/// One pass: claims the notifications due for email and sends them; returns how many went.
pub async fn deliver(db: &Db, mailer: &Mailer) -> Result<usize, AppError> {
    let claimed = notifications::claim_for_email(db, now_ms() - EMAIL_WINDOW_MS, BATCH).await?;
    let mut sent = 0;
    for outgoing in claimed {
        let (subject, body) = mailer.compose(&outgoing);
        match mailer
            .send(&outgoing.email, &outgoing.name, &subject, body)
            .await
        {
            Ok(()) => sent += 1,
            Err(error) => {
                tracing::warn!(%error, id = outgoing.notification.id, "notification email failed");
                notifications::email_failed(db, outgoing.notification.id, &error).await?;
            }
        }
    }
    Ok(sent)
}

/// Delivers notification emails every `every`, for as long as the server runs.
pub async fn run(db: Db, mailer: Mailer, every: Duration) {
    let mut ticks = tokio::time::interval(every);
    loop {
        ticks.tick().await;
        if let Err(error) = deliver(&db, &mailer).await {
            tracing::error!(%error, "notification email pass failed");
        }
    }
}
