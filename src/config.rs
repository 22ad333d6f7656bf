//! Typed deployment settings: `config/default.toml`, then `config/local.toml`, then an
//! optional `--config FILE`, then `CFP__SECTION__KEY` environment variables.
//!
//! Conference settings edited by the chair (deadlines, tracks, ...) are not here: they live
//! in the database (`domain::conference`).

use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use serde::Deserialize;

/// The defaults, compiled in so the binary runs from any working directory.
const DEFAULT_TOML: &str = include_str!("../config/default.toml");

/// Every deployment setting.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    pub data_dir: PathBuf,
    pub server: ServerSettings,
    pub uploads: UploadSettings,
    pub database: DatabaseSettings,
    pub security: SecuritySettings,
    pub mail: MailSettings,
    #[serde(default)]
    pub assignment: AssignmentSettings,
}

/// The chairs' assignment engine on the site.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct AssignmentSettings {
    /// From this many active papers on, "compute a preview" runs in the background with its
    /// progress on the page instead of inside the request.
    pub background_from_papers: usize,
}

impl Default for AssignmentSettings {
    fn default() -> Self {
        AssignmentSettings {
            background_from_papers: 1000,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct ServerSettings {
    pub bind: String,
    pub base_url: String,
    pub secure_cookies: bool,
    pub workers: usize,
    pub trust_forwarded_for: bool,
    pub form_limit_bytes: usize,
}

#[derive(Debug, Clone, Deserialize)]
pub struct UploadSettings {
    pub max_pdf_bytes: u64,
    pub max_supplement_bytes: u64,
    pub format_check_slots: usize,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    pub url: String,
    pub pool_size: u32,
    pub connect_timeout_secs: u64,
}

#[derive(Clone, Deserialize)]
pub struct SecuritySettings {
    pub secret: String,
    pub max_failed_signins_per_account: u32,
    pub max_failed_signins_per_address: u32,
    pub throttle_window_minutes: u32,
    pub signin_delay_base_secs: u32,
    pub distributed_attack_addresses: u32,
    pub confirm_link_hours: u32,
    pub reset_link_minutes: u32,
    pub session_idle_minutes: u32,
    pub session_lifetime_hours: u32,
    pub visitor_emails_per_address_per_hour: u32,
    pub visitor_emails_per_client_per_hour: u32,
}

// Hand-written so the secret can never reach a log line through `{:?}`.
impl std::fmt::Debug for SecuritySettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecuritySettings")
            .field("secret", &"<redacted>")
            .field(
                "max_failed_signins_per_account",
                &self.max_failed_signins_per_account,
            )
            .field(
                "max_failed_signins_per_address",
                &self.max_failed_signins_per_address,
            )
            .field("throttle_window_minutes", &self.throttle_window_minutes)
            .field("signin_delay_base_secs", &self.signin_delay_base_secs)
            .field(
                "distributed_attack_addresses",
                &self.distributed_attack_addresses,
            )
            .field("session_idle_minutes", &self.session_idle_minutes)
            .field("session_lifetime_hours", &self.session_lifetime_hours)
            .field(
                "visitor_emails_per_address_per_hour",
                &self.visitor_emails_per_address_per_hour,
            )
            .field(
                "visitor_emails_per_client_per_hour",
                &self.visitor_emails_per_client_per_hour,
            )
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct MailSettings {
    pub from: String,
    pub transport: MailTransportKind,
    pub worker_interval_secs: u64,
    pub batch_size: u32,
    pub max_attempts: u32,
    pub retry_base_secs: u64,
    pub retry_max_secs: u64,
    /// Emails sent at once by one server's worker, each on its own connection.
    #[serde(default = "default_send_lanes")]
    pub send_lanes: usize,
    /// This server's name on its outbox claims; empty: host name and bound port.
    #[serde(default)]
    pub instance_id: String,
    pub smtp: SmtpSettings,
}

fn default_send_lanes() -> usize {
    4
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailTransportKind {
    File,
    Smtp,
}

#[derive(Clone, Deserialize)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: String,
    pub password: String,
    pub timeout_secs: u64,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    Starttls,
    Tls,
    None,
}

impl Settings {
    /// Loads the layered configuration. `extra` is the `--config FILE` argument.
    pub fn load(extra: Option<&Path>) -> anyhow::Result<Settings> {
        let mut figment =
            Figment::from(Toml::string(DEFAULT_TOML)).merge(Toml::file("config/local.toml"));
        if let Some(path) = extra {
            if !path.is_file() {
                anyhow::bail!("configuration file {} does not exist", path.display());
            }
            figment = figment.merge(Toml::file(path));
        }
        let settings: Settings = figment
            .merge(Env::prefixed("CFP__").split("__"))
            .extract()
            .map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?;
        Ok(settings)
    }

    /// The compiled-in defaults only (tests start from these).
    pub fn defaults() -> anyhow::Result<Settings> {
        Figment::from(Toml::string(DEFAULT_TOML))
            .extract()
            .map_err(|e| anyhow::anyhow!("invalid default configuration: {e}"))
    }

    /// `base_url` without a trailing slash, for building links.
    pub fn base_url(&self) -> &str {
        self.server.base_url.trim_end_matches('/')
    }
}
