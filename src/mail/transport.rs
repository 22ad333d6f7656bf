//! lettre transports: `.eml` files under the data directory (the default, nothing to set
//! up) or SMTP with STARTTLS, implicit TLS or plain, with optional authentication.
//!
//! Every exchange with the transport runs under an overall deadline of our own
//! (`mail.smtp.timeout_secs`): lettre's async SMTP client applies its timeout to connecting
//! only, so a server that greets and then never answers would otherwise hold the worker
//! forever. Each worker lane keeps one SMTP connection (`Link`) and drops it on any error or
//! timeout, never handing a half-finished exchange to the next message. Answers are sorted
//! into permanent (a 5xx reply to this message: fail it at once, with the server's reason)
//! and temporary (4xx, network, timeout, a refused connection or login: retry with backoff).

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, SinglePart};
use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncFileTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{MailSettings, MailTransportKind, SmtpSecurity};
use crate::db::outbox::OutboxRow;

/// Where emails go.
#[derive(Clone)]
pub enum MailTransport {
    File {
        transport: AsyncFileTransport<Tokio1Executor>,
        timeout: Duration,
    },
    Smtp(Arc<SmtpTarget>),
}

/// An SMTP server and how to talk to it.
pub struct SmtpTarget {
    host: String,
    port: u16,
    security: SmtpSecurity,
    credentials: Option<Credentials>,
    hello: ClientId,
    timeout: Duration,
}

impl std::fmt::Debug for MailTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MailTransport::File { .. } => f.write_str("MailTransport::File"),
            MailTransport::Smtp(t) => write!(f, "MailTransport::Smtp({}:{})", t.host, t.port),
        }
    }
}

/// Why one attempt failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// Worth trying again later: 4xx answers, network errors, timeouts, refused connections.
    Temporary(String),
    /// The server refused this message for good (a 5xx answer): trying again cannot help.
    Permanent(String),
}

impl SendError {
    pub fn message(&self) -> &str {
        match self {
            SendError::Temporary(m) | SendError::Permanent(m) => m,
        }
    }
}

impl MailTransport {
    /// Builds the configured transport; the file transport writes into `data_dir/outbox`.
    pub fn from_settings(
        settings: &MailSettings,
        data_dir: &Path,
    ) -> anyhow::Result<MailTransport> {
        let timeout = Duration::from_secs(settings.smtp.timeout_secs.max(1));
        match settings.transport {
            MailTransportKind::File => {
                let dir = data_dir.join("outbox");
                std::fs::create_dir_all(&dir).map_err(|e| {
                    anyhow::anyhow!("cannot create the mail folder {}: {e}", dir.display())
                })?;
                Ok(MailTransport::File {
                    transport: AsyncFileTransport::<Tokio1Executor>::new(dir),
                    timeout,
                })
            }
            MailTransportKind::Smtp => {
                let smtp = &settings.smtp;
                if smtp.host.trim().is_empty() {
                    anyhow::bail!("mail.smtp.host is empty");
                }
                let credentials = (!smtp.username.is_empty())
                    .then(|| Credentials::new(smtp.username.clone(), smtp.password.clone()));
                Ok(MailTransport::Smtp(Arc::new(SmtpTarget {
                    host: smtp.host.clone(),
                    port: smtp.port,
                    security: smtp.security,
                    credentials,
                    hello: ClientId::default(),
                    timeout,
                })))
            }
        }
    }

    /// The overall deadline of one exchange (connecting, greeting, login and sending).
    pub fn timeout(&self) -> Duration {
        match self {
            MailTransport::File { timeout, .. } => *timeout,
            MailTransport::Smtp(t) => t.timeout,
        }
    }

    /// A connection for one worker lane; it connects on first use.
    pub fn link(&self) -> Link {
        Link {
            transport: self.clone(),
            conn: None,
        }
    }

    /// Hands one message over on a fresh connection (for one-off sends).
    pub async fn send(&self, message: &Message) -> Result<(), SendError> {
        let mut link = self.link();
        let result = link.send(message).await;
        link.close().await;
        result
    }
}

impl SmtpTarget {
    async fn connect(&self) -> Result<AsyncSmtpConnection, String> {
        let tls = || TlsParameters::new(self.host.clone()).map_err(|e| e.to_string());
        let implicit_tls = match self.security {
            SmtpSecurity::Tls => Some(tls()?),
            SmtpSecurity::Starttls | SmtpSecurity::None => None,
        };
        let mut conn = AsyncSmtpConnection::connect_tokio1(
            (self.host.as_str(), self.port),
            Some(self.timeout),
            &self.hello,
            implicit_tls,
            None,
        )
        .await
        .map_err(|e| e.to_string())?;
        if self.security == SmtpSecurity::Starttls {
            // Never fall back to plain text when STARTTLS was asked for.
            if !conn.can_starttls() {
                return Err("the server does not offer STARTTLS".into());
            }
            conn.starttls(tls()?, &self.hello)
                .await
                .map_err(|e| e.to_string())?;
        }
        if let Some(credentials) = &self.credentials {
            conn.auth(DEFAULT_MECHANISMS, credentials)
                .await
                .map_err(|e| e.to_string())?;
        }
        Ok(conn)
    }
}

/// One worker lane's way to the transport: an SMTP connection reused from message to
/// message, dropped (closing the socket at once) after any error or timeout.
pub struct Link {
    transport: MailTransport,
    conn: Option<AsyncSmtpConnection>,
}

impl Link {
    /// Sends one message under the overall deadline.
    pub async fn send(&mut self, message: &Message) -> Result<(), SendError> {
        let limit = self.transport.timeout();
        match tokio::time::timeout(limit, self.exchange(message)).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => {
                self.conn = None;
                Err(e)
            }
            Err(_) => {
                self.conn = None;
                Err(SendError::Temporary(format!(
                    "the mail server did not finish the exchange within {} s",
                    limit.as_secs()
                )))
            }
        }
    }

    async fn exchange(&mut self, message: &Message) -> Result<(), SendError> {
        let target = match &self.transport {
            MailTransport::File { transport, .. } => {
                return transport
                    .send(message.clone())
                    .await
                    .map(|_| ())
                    .map_err(|e| SendError::Temporary(format!("cannot write the email: {e}")));
            }
            MailTransport::Smtp(target) => target.clone(),
        };
        if let Some(conn) = self.conn.as_mut()
            && !conn.test_connected().await
        {
            self.conn = None;
        }
        let conn = match self.conn.as_mut() {
            Some(conn) => conn,
            None => {
                // Refusals before the message (greeting, TLS, login) concern the server or
                // our settings, not this email: temporary, whatever their code.
                let conn = target.connect().await.map_err(|e| {
                    SendError::Temporary(format!(
                        "cannot open a session with the mail server {}:{}: {e}",
                        target.host, target.port
                    ))
                })?;
                self.conn.insert(conn)
            }
        };
        match conn.send(message.envelope(), &message.formatted()).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(SendError::Permanent(format!(
                "the mail server refused this email: {e}"
            ))),
            Err(e) => Err(SendError::Temporary(format!("the mail server failed: {e}"))),
        }
    }

    /// Says goodbye to the server, waiting at most two seconds.
    pub async fn close(mut self) {
        if let Some(mut conn) = self.conn.take() {
            let _ = tokio::time::timeout(Duration::from_secs(2), conn.quit()).await;
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
