//! lettre transports: `.eml` files under the data directory (the default, nothing to set
//! up) or SMTP with STARTTLS, implicit TLS or plain, with optional authentication.

use std::path::Path;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{MailSettings, MailTransportKind, SmtpSecurity};
use crate::db::outbox::OutboxRow;

/// Where emails go.
#[derive(Clone)]
pub enum MailTransport {
    File(AsyncFileTransport<Tokio1Executor>),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl std::fmt::Debug for MailTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MailTransport::File(_) => f.write_str("MailTransport::File"),
            MailTransport::Smtp(_) => f.write_str("MailTransport::Smtp"),
        }
    }
}

impl MailTransport {
    /// Builds the configured transport; the file transport writes into `data_dir/outbox`.
    pub fn from_settings(
        settings: &MailSettings,
        data_dir: &Path,
    ) -> anyhow::Result<MailTransport> {
        match settings.transport {
            MailTransportKind::File => {
                let dir = data_dir.join("outbox");
                std::fs::create_dir_all(&dir).map_err(|e| {
                    anyhow::anyhow!("cannot create the mail folder {}: {e}", dir.display())
                })?;
                Ok(MailTransport::File(
                    AsyncFileTransport::<Tokio1Executor>::new(dir),
                ))
            }
            MailTransportKind::Smtp => {
                let smtp = &settings.smtp;
                let builder = match smtp.security {
                    SmtpSecurity::Starttls => {
                        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)?
                    }
                    SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)?,
                    SmtpSecurity::None => {
                        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
                    }
                };
                let mut builder = builder
                    .port(smtp.port)
                    .timeout(Some(Duration::from_secs(smtp.timeout_secs)));
                if !smtp.username.is_empty() {
                    builder = builder.credentials(Credentials::new(
                        smtp.username.clone(),
                        smtp.password.clone(),
                    ));
                }
                Ok(MailTransport::Smtp(builder.build()))
            }
        }
    }

    /// Hands one message over; the error text is stored on the outbox row.
    pub async fn send(&self, message: Message) -> Result<(), String> {
        match self {
            MailTransport::File(t) => t.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
            MailTransport::Smtp(t) => t.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
        }
    }
}

/// Builds the message for an outbox row. Its Message-ID derives from the row id, so a
/// receiving server can recognise a redelivery after a crash mid-send.
pub fn build_message(from: &Mailbox, row: &OutboxRow) -> Result<Message, String> {
    let to: Mailbox = row
        .recipient
        .parse()
        .map_err(|e| format!("bad recipient {}: {e}", row.recipient))?;
    let domain = from.email.domain().to_string();
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(row.subject.clone())
        .message_id(Some(format!("<{}@{domain}>", row.id)))
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(readable_body(&row.body_text)),
        )
        .map_err(|e| e.to_string())
}

/// 8bit rather than quoted-printable where the text allows it, so `.eml` files stay readable
/// and their links can be copied as they are; lettre's own choice otherwise.
fn readable_body(text: &str) -> Body {
    Body::new_with_encoding(text.to_string(), ContentTransferEncoding::EightBit)
        .unwrap_or_else(|_| Body::new(text.to_string()))
}
