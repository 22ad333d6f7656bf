//! The command line: `serve`, `migrate`, `chair`, `mail`. `main.rs` only calls `run`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use crate::clock::{Clock, SystemClock};
use crate::config::Settings;
use crate::db::{self, outbox, users};
use crate::domain::account::Email;
use crate::startup::{self, Application};

/// cfp: paper submission and peer review for workshops and conferences.
#[derive(Debug, Parser)]
#[command(name = "cfp", version, about)]
pub struct Cli {
    /// An extra configuration file, read after config/default.toml and config/local.toml.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the web server (runs pending migrations first).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Grant, remove or list chair rights.
    Chair {
        #[command(subcommand)]
        action: ChairCommand,
    },
    /// Inspect and drive the email outbox.
    Mail {
        #[command(subcommand)]
        action: MailCommand,
    },
    /// Maintain the file store.
    Storage {
        #[command(subcommand)]
        action: StorageCommand,
    },
    /// Copy the database, the uploaded files and the cookie secret into an empty folder,
    /// consistently, while the server runs.
    Backup {
        /// The folder to write (created; must be empty).
        dir: PathBuf,
    },
    /// Put a backup taken with `cfp backup` back into the data folder (stop the server first).
    Restore {
        /// The backup folder.
        dir: PathBuf,
        /// Replace an existing database and secret (they are kept with a suffix).
        #[arg(long)]
        force: bool,
    },
    /// Check a PDF against the NeurIPS format rules (exit 0 pass, 1 fail, 2 reject).
    CheckPdf(crate::format_check::cli::CheckPdfArgs),
    /// Solve a reviewer-assignment problem given as CSV files (exit 1 when infeasible).
    Assign(crate::assignment::cli::AssignArgs),
    /// Generate a synthetic assignment problem in the `assign --problem` format.
    GenProblem(crate::assignment::cli::GenProblemArgs),
    /// Fill an empty database with a realistic demo workshop (through the site's own pages).
    Demo {
        /// How far to take the workshop.
        #[arg(long, value_enum, default_value = "submitted")]
        stage: crate::demo::drive::Stage,
        /// Seed of the generated people and papers.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Build a conference of this many submissions (and as many reviewers) instead of the
        /// 80-paper workshop, through the domain and database functions in batches rather than
        /// the pages (`cfp demo --size 10000 --stage reviewed` takes minutes).
        #[arg(long)]
        size: Option<usize>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ChairCommand {
    /// Make the account with this email a chair (it must be registered).
    Add { email: String },
    /// Take chair rights away from the account with this email.
    Remove { email: String },
    /// List the chairs.
    List,
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Count queued, sent and failed emails.
    Status,
    /// Run one delivery round now.
    Deliver,
    /// Queue every failed email for delivery again.
    RetryFailed,
}

#[derive(Debug, Subcommand)]
pub enum StorageCommand {
    /// Remove temporary files of interrupted uploads (older than an hour) and stored files no
    /// paper references (older than an hour). The worker in `serve` does this every hour.
    Gc,
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Parses the command line and runs the command.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    // Pure commands: no configuration, no database, no logging set-up (start-up time counts).
    let pure = match &cli.command {
        Command::CheckPdf(args) => Some(crate::format_check::cli::run(args)),
        Command::Assign(args) => Some(crate::assignment::cli::run(args)),
        Command::GenProblem(args) => Some(crate::assignment::cli::run_gen_problem(args)),
        _ => None,
    };
    if let Some(status) = pure {
        return ExitCode::from(u8::try_from(status).unwrap_or(2));
    }
    init_tracing();
    match execute(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn open(config: &Settings) -> anyhow::Result<db::DbPool> {
    startup::prepare_data_dir(&config.data_dir)?;
    startup::open_database(config, &SystemClock)
}

fn execute(cli: Cli) -> anyhow::Result<()> {
    let config = Settings::load(cli.config.as_deref())?;
    match cli.command {
        Command::Serve => serve(config),
        Command::Migrate => {
            open(&config)?;
            println!("database is up to date");
            Ok(())
        }
        Command::Chair { action } => chair(&config, action),
        Command::Mail { action } => mail(&config, action),
        Command::Storage {
            action: StorageCommand::Gc,
        } => storage_gc(&config),
        Command::Backup { dir } => backup(&config, &dir),
        Command::Restore { dir, force } => restore(&config, &dir, force),
        Command::Demo { stage, seed, size } => demo(config, stage, seed, size),
        Command::CheckPdf(_) | Command::Assign(_) | Command::GenProblem(_) => Ok(()),
    }
}

fn serve(config: Settings) -> anyhow::Result<()> {
    actix_web::rt::System::new().block_on(async move {
        let base_url = config.base_url().to_string();
        let data_dir = config.data_dir.clone();
        let app = Application::build(config, Arc::new(SystemClock)).await?;
        let pool = app.pool().clone();
        let no_chair = tokio::task::spawn_blocking(move || -> anyhow::Result<bool> {
            let mut c = pool.get()?;
            Ok(users::chairs(&mut c)?.is_empty())
        })
        .await??;
        println!("cfp is running at {base_url} (data in {})", data_dir.display());
        if no_chair {
            println!("No chair yet: register at {base_url}/register, confirm the email, then run `cfp chair add YOUR@EMAIL`.");
        }
        startup::stop_worker_on_signal(&app);
        app.run_until_stopped().await?;
        Ok(())
    })
}

fn demo(
    config: Settings,
    stage: crate::demo::drive::Stage,
    seed: u64,
    size: Option<usize>,
) -> anyhow::Result<()> {
    let base_url = config.base_url().to_string();
    let summary = match size {
        Some(size) => crate::demo::drive::bulk::run(config, stage, seed, size)?,
        None => {
            actix_web::rt::System::new().block_on(crate::demo::drive::run(config, stage, seed))?
        }
    };
    println!(
        "The demo workshop is ready: {} people, {} submissions.",
        summary.people, summary.submissions
    );
    println!(
        "Start the site with `cfp serve` and sign in at {base_url}/signin with password {}:",
        summary.password
    );
    println!("  chair:  {}", summary.chair);
    println!(
        "  author: {} (main author of #1, also a reviewer: see My reviews)",
        summary.author
    );
    println!(
        "  author in the published track: {}",
        summary.main_author_of_published
    );
    println!(
        "Their emails (receipts, confirmations) are delivered to data/outbox/ when the server runs."
    );
    Ok(())
}

fn chair(config: &Settings, action: ChairCommand) -> anyhow::Result<()> {
    let pool = open(config)?;
    let mut c = pool.get()?;
    match action {
        ChairCommand::Add { email } => {
            let email = Email::parse(&email).map_err(|e| anyhow::anyhow!(e))?;
            if !users::set_chair(&mut c, &email, true)? {
                anyhow::bail!(
                    "no account has the email {email}; register at {}/register first",
                    config.base_url()
                );
            }
            db::audit::record(
                &mut c,
                None,
                "chair.add",
                email.as_str(),
                "granted from the command line",
                SystemClock.now(),
            )?;
            println!("{email} is now a chair");
            Ok(())
        }
        ChairCommand::Remove { email } => {
            let email = Email::parse(&email).map_err(|e| anyhow::anyhow!(e))?;
            if !users::set_chair(&mut c, &email, false)? {
                anyhow::bail!("no account has the email {email}");
            }
            db::audit::record(
                &mut c,
                None,
                "chair.remove",
                email.as_str(),
                "removed from the command line",
                SystemClock.now(),
            )?;
            println!("{email} is no longer a chair");
            Ok(())
        }
        ChairCommand::List => {
            for u in users::chairs(&mut c)? {
                println!("{}\t{}", u.email, u.name);
            }
            Ok(())
        }
    }
}

fn storage_gc(config: &Settings) -> anyhow::Result<()> {
    let pool = open(config)?;
    let mut c = pool.get()?;
    let storage = crate::storage::Storage::new(&config.data_dir);
    let report = crate::ops::gc::sweep(&mut c, &storage, std::time::SystemTime::now())?;
    println!(
        "removed {} temporary and {} unreferenced files ({} bytes)",
        report.temp_files, report.orphan_files, report.bytes_freed
    );
    Ok(())
}

fn backup(config: &Settings, dir: &std::path::Path) -> anyhow::Result<()> {
    let pool = open(config)?;
    let mut c = pool.get()?;
    let report = crate::ops::backup::backup(config, &mut c, dir)?;
    let m = &report.manifest;
    println!(
        "backup written to {}: {} database, {} files ({} bytes), session key {}",
        dir.display(),
        m.backend,
        m.files,
        m.bytes,
        if m.session_key {
            "included"
        } else {
            "not present (security.secret is configured)"
        }
    );
    if let Some(todo) = report.todo {
        println!(
            "pg_dump is not installed here; dump the database yourself BEFORE the files are next copied:\n  {todo}"
        );
    }
    Ok(())
}

fn restore(config: &Settings, dir: &std::path::Path, force: bool) -> anyhow::Result<()> {
    let report = crate::ops::backup::restore(config, dir, force)?;
    println!(
        "restored into {}: {} files",
        config.data_dir.display(),
        report.files
    );
    for kept in &report.kept {
        println!("kept the replaced {}", kept.display());
    }
    if let Some(todo) = report.todo {
        println!("pg_restore is not installed here; restore the database with:\n  {todo}");
    }
    Ok(())
}

/// `cfp mail status` only reads: it opens the database read-only and runs no migration, so it
/// works on a read-only data folder or a full disk.
fn mail_status(config: &Settings) -> anyhow::Result<()> {
    let target = db::DbTarget::from_url(&config.database.url, &config.data_dir);
    let mut c = db::open_read_only(&target)?;
    let counts = outbox::counts_by_state(&mut c)?;
    for state in [
        outbox::state::PENDING,
        outbox::state::SENDING,
        outbox::state::SENT,
        outbox::state::FAILED,
    ] {
        let n = counts
            .iter()
            .find(|(s, _)| s == state)
            .map(|(_, n)| *n)
            .unwrap_or(0);
        println!("{state:<8} {n}");
    }
    Ok(())
}

fn mail(config: &Settings, action: MailCommand) -> anyhow::Result<()> {
    if let MailCommand::Status = action {
        return mail_status(config);
    }
    let pool = open(config)?;
    match action {
        MailCommand::Status => mail_status(config),
        MailCommand::Deliver => actix_web::rt::System::new().block_on(async move {
            let mut mailer = startup::mailer(config, pool, Arc::new(SystemClock))?;
            // Its own name on claims: never taking back those of a running server.
            mailer.instance = format!("{}:cli-{}", mailer.instance, std::process::id());
            let done = mailer.deliver_due().await?;
            println!(
                "sent {}, to retry {}, failed {}",
                done.sent, done.retried, done.failed
            );
            Ok(())
        }),
        MailCommand::RetryFailed => {
            let mut c = pool.get()?;
            let n = outbox::retry_failed(&mut c, SystemClock.now())?;
            println!("{n} failed emails queued again");
            Ok(())
        }
    }
}
