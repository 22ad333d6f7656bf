//! Building and running the application: data directory, secret, database, migrations,
//! first-start settings, the mail worker and the HTTP server.

use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;

use actix_session::SessionMiddleware;
use actix_session::config::CookieContentSecurity;
use actix_session::storage::CookieSessionStore;
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::{Server, Service};
use actix_web::middleware::DefaultHeaders;
use actix_web::{App, HttpServer, web};
use lettre::message::Mailbox;

use crate::clock::Clock;
use crate::config::Settings;
use crate::db::{self, DbPool, DbTarget};
use crate::domain::conference::ConferenceSettings;
use crate::mail::delivery::Mailer;
use crate::mail::transport::MailTransport;
use crate::web::{self as site, AppState};

/// A built application, listening but not yet serving.
pub struct Application {
    port: u16,
    server: Server,
    mailer: Mailer,
    pool: DbPool,
}

/// Makes sure the data directory exists and is writable, with a message a person can act on.
pub fn prepare_data_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("cannot create the data directory {}: {e}", dir.display()))?;
    let probe = dir.join(".write-test");
    std::fs::write(&probe, b"ok").map_err(|e| {
        anyhow::anyhow!("the data directory {} is not writable: {e}", dir.display())
    })?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

/// The cookie key: configured, or generated once into `DATA_DIR/session.key`.
pub fn session_key(config: &Settings) -> anyhow::Result<Key> {
    let configured = config.security.secret.trim();
    let bytes = if !configured.is_empty() {
        hex::decode(configured)
            .map_err(|_| anyhow::anyhow!("security.secret must be hex-encoded"))?
    } else {
        let path = config.data_dir.join("session.key");
        match std::fs::read_to_string(&path) {
            Ok(text) => hex::decode(text.trim()).map_err(|_| {
                anyhow::anyhow!(
                    "{} is damaged; delete it to generate a new one",
                    path.display()
                )
            })?,
            Err(_) => {
                let key = Key::generate();
                write_private(&path, &hex::encode(key.master()))?;
                tracing::info!(path = %path.display(), "generated a new session secret");
                key.master().to_vec()
            }
        }
    };
    if bytes.len() < 64 {
        anyhow::bail!("security.secret must hold at least 64 bytes (128 hex characters)");
    }
    Key::try_from(bytes.as_slice()).map_err(|e| anyhow::anyhow!("unusable secret: {e}"))
}

fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    file.write_all(contents.as_bytes())?;
    Ok(())
}

/// Opens the database, runs migrations and writes first-start settings.
pub fn open_database(config: &Settings, clock: &dyn Clock) -> anyhow::Result<DbPool> {
    let target = DbTarget::from_url(&config.database.url, &config.data_dir);
    let pool = db::connect(
        target,
        config.database.pool_size,
        std::time::Duration::from_secs(config.database.connect_timeout_secs),
    )?;
    let applied = db::migrate(&pool)?;
    if applied > 0 {
        tracing::info!(applied, "database migrations applied");
    }
    let mut conn = pool.get()?;
    // Columns the chairs' lists read, for rows written before they existed.
    let filled = db::submission_list::backfill_list_columns(&mut conn)?
        + db::reviews::backfill_scores(&mut conn)?;
    if filled > 0 {
        tracing::info!(filled, "stored list columns of older rows");
    }
    if db::conference::ensure(
        &mut conn,
        &ConferenceSettings::dlde_defaults(clock.now()),
        clock.now(),
    )? {
        tracing::info!("wrote first-start conference settings (DLDE workshop)");
    }
    Ok(pool)
}

/// Format checks run at once: as configured, or one per CPU core for 0.
pub fn format_check_slots(configured: usize) -> usize {
    match configured {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
        n => n,
    }
}

/// The mail worker for this configuration.
pub fn mailer(config: &Settings, pool: DbPool, clock: Arc<dyn Clock>) -> anyhow::Result<Mailer> {
    let from: Mailbox = config.mail.from.parse().map_err(|e| {
        anyhow::anyhow!("mail.from \"{}\" is not an address: {e}", config.mail.from)
    })?;
    Ok(Mailer {
        pool,
        transport: MailTransport::from_settings(&config.mail, &config.data_dir)?,
        from,
        settings: config.mail.clone(),
        clock,
        base_url: config.base_url().to_string(),
        instance: crate::mail::delivery::instance_id(&config.mail, &config.server.bind),
        stop: crate::mail::delivery::Stop::default(),
        storage: crate::storage::Storage::new(&config.data_dir),
    })
}

/// Added to every response that does not set its own: public pages and static files choose
/// their caching; everything else may depend on the session, so no cache keeps it.
const SECURITY_HEADERS: [(&str, &str); 5] = [
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    (
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    ),
];

/// Stops the mail worker at once on SIGTERM or Ctrl-C (emails in flight go back to the queue
/// within seconds), while the HTTP server finishes its requests. For `cfp serve` only: it
/// takes over the process's handling of those signals.
pub fn stop_worker_on_signal(app: &Application) {
    let stop = app.mailer.stop.clone();
    tokio::spawn(async move {
        stop_signal().await;
        stop.request();
    });
}

/// Resolves on SIGTERM or Ctrl-C (the signals actix-web stops on); never when they cannot
/// be watched.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use actix_web::rt::signal::unix::{SignalKind, signal};
        let Ok(mut term) = signal(SignalKind::terminate()) else {
            return std::future::pending().await;
        };
        tokio::select! {
            _ = term.recv() => {}
            Ok(()) = actix_web::rt::signal::ctrl_c() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = actix_web::rt::signal::ctrl_c().await;
    }
}

impl Application {
    /// Prepares everything and binds the listener (port 0 picks a free port).
    pub async fn build(config: Settings, clock: Arc<dyn Clock>) -> anyhow::Result<Application> {
        prepare_data_dir(&config.data_dir)?;
        let key = session_key(&config)?;
        let pool = {
            let config = config.clone();
            let clock = clock.clone();
            tokio::task::spawn_blocking(move || open_database(&config, clock.as_ref())).await??
        };
        let mailer = mailer(&config, pool.clone(), clock.clone())?;
        let listener = TcpListener::bind(&config.server.bind)
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.server.bind))?;
        let port = listener.local_addr()?.port();
        let secure = config.server.secure_cookies;
        let form_limit = config.server.form_limit_bytes;
        let workers = config.server.workers;
        let storage = crate::storage::Storage::new(&config.data_dir);
        let format_slots = Arc::new(tokio::sync::Semaphore::new(format_check_slots(
            config.uploads.format_check_slots,
        )));
        let state = web::Data::new(AppState {
            pool: pool.clone(),
            clock,
            config: Arc::new(config),
            storage,
            format_slots,
            settings_cache: Default::default(),
            assignment_jobs: Default::default(),
            pool_cache: Default::default(),
            ranking_cache: crate::db::data_version::Versioned::new(
                crate::db::data_version::RANKING,
            ),
            reviewer_pages: crate::db::data_version::Kept::new(
                crate::web::reviewer::review::KEPT_PAPER_PAGES,
            ),
            paper_rows: crate::db::data_version::Kept::new(crate::web::papers::KEPT_PAPERS),
            my_reviews: crate::db::data_version::Kept::new(crate::web::KEPT_PEOPLE),
            my_submissions: crate::db::data_version::Kept::new(crate::web::KEPT_PEOPLE),
            known_copies: Default::default(),
        });
        let mut server = HttpServer::new(move || {
            let mut headers = DefaultHeaders::new();
            for header in SECURITY_HEADERS {
                headers = headers.add(header);
            }
            App::new()
                .wrap(actix_web::middleware::from_fn(site::with_site_layout))
                .wrap(headers)
                .wrap(
                    SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
                        .cookie_name("cfp_session".into())
                        .cookie_secure(secure)
                        .cookie_http_only(true)
                        .cookie_same_site(SameSite::Lax)
                        .cookie_content_security(CookieContentSecurity::Private)
                        .build(),
                )
                .wrap_fn(|req, srv| {
                    // Log the path only: query strings can carry tokens.
                    let (method, path) = (req.method().clone(), req.path().to_string());
                    let started = std::time::Instant::now();
                    let fut = srv.call(req);
                    async move {
                        let res = fut.await?;
                        tracing::info!(%method, %path, status = res.status().as_u16(), ms = started.elapsed().as_millis() as u64, "request");
                        Ok(res)
                    }
                })
                .app_data(state.clone())
                .app_data(web::PayloadConfig::new(form_limit))
                .configure(site::routes)
                .default_service(web::to(site::public::home::not_found))
        })
        .listen(listener)?;
        if workers > 0 {
            server = server.workers(workers);
        }
        Ok(Application {
            port,
            server: server.run(),
            mailer,
            pool,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn pool(&self) -> &DbPool {
        &self.pool
    }

    pub fn mailer(&self) -> &Mailer {
        &self.mailer
    }

    /// Serves until the process is told to stop; runs the mail worker when configured, and
    /// stops it (returning emails in flight to the queue) when the server stops.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let worker = (self.mailer.settings.worker_interval_secs > 0)
            .then(|| crate::jobs::spawn(self.mailer.clone()));
        let result = self.server.await;
        if let Some(w) = worker {
            self.mailer.shut_down(w).await;
        }
        result
    }
}
