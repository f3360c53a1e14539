//! `roei-server`: the shared incident record service (`serve`), its token administration
//! (`token add`) and the receipt check (`verify`). Its own binary so that the operator CLI `roei`
//! stays small and statically linkable (README, Decisions).
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};
use roei_server::auth::{caller_of, new_token, token_hash, Scope};
use roei_server::receipt::{verify_record, Keys, Receipt};
use roei_server::store::{Store, StoredToken};

/// mimalloc instead of the system's malloc: an append allocates and frees a few hundred small
/// blocks (the parsed body, roei-core's record of the tail, the response), and glibc's malloc and
/// free took about 14 % of the service's CPU in a profile of PostgreSQL appends (BENCHMARKS.md,
/// roei-server).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "roei-server",
    version,
    about = "The shared incident record of a contractor and its principal (委託者と受託者の共有記録)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct Storage {
    /// Directory for the SQLite file and the signing key (created if missing).
    #[arg(long, default_value = "roei-data")]
    data_dir: PathBuf,
    /// Database URL: sqlite://PATH or postgres://…; default: sqlite in --data-dir.
    #[arg(long)]
    database: Option<String>,
}

impl Storage {
    fn url(&self) -> Result<String, String> {
        std::fs::create_dir_all(&self.data_dir)
            .map_err(|e| format!("{}: {e}", self.data_dir.display()))?;
        Ok(self.database.clone().unwrap_or_else(|| {
            format!("sqlite://{}", self.data_dir.join("roei.sqlite3").display())
        }))
    }
}

#[derive(Subcommand)]
enum Command {
    /// Serves the API (and, with --static, a portal's files).
    Serve {
        #[command(flatten)]
        storage: Storage,
        /// Address to listen on; port 0 picks a free port (the chosen address is printed).
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// Serve the files of this directory at / (the demo portal).
        #[arg(long = "static")]
        static_dir: Option<PathBuf>,
        /// Ed25519 signing key file (hex); default: <data-dir>/signing-key, made on first start.
        /// Instances behind one load balancer share one key file.
        #[arg(long)]
        key: Option<PathBuf>,
        /// Largest number of database connections.
        #[arg(long, default_value_t = 16)]
        max_connections: u32,
        /// Most incidents whose log tail (header and head event, up to 16 KiB) is remembered, so
        /// that an append to them needs no read; 0 reads the tail for every append.
        #[arg(long, default_value_t = roei_server::api::TAIL_CACHE_ENTRIES)]
        remembered_tails: usize,
    },
    /// Token administration.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Checks a record against signed receipts and the service's public key.
    Verify {
        /// The service's public key: 64 hex digits, or a file holding them or the JSON of
        /// /.well-known/roei-signing-key.
        #[arg(long)]
        key: String,
        /// Receipts: a JSON array, or one JSON receipt a line.
        #[arg(long)]
        receipts: PathBuf,
        /// The record (roei/incident@1 JSON) to check.
        #[arg(long)]
        record: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum PartyArg {
    Contractor,
    Principal,
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Issues a token and prints it once (only its SHA-256 is stored).
    Add {
        #[command(flatten)]
        storage: Storage,
        /// Who holds it (shown in the record's log as the recorder).
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        party: PartyArg,
        /// The municipality: the principal itself, or the principal of the contractor's contracts.
        #[arg(long)]
        principal: String,
        /// A contract of a contractor (repeat for several).
        #[arg(long = "contract")]
        contracts: Vec<String>,
    },
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Verify {
            key,
            receipts,
            record,
        } => verify(&key, &receipts, &record),
        other => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())
            .and_then(|rt| rt.block_on(run(other))),
    };
    if let Err(m) = result {
        eprintln!("roei-server: {m}");
        std::process::exit(2);
    }
}

async fn run(command: Command) -> Result<(), String> {
    match command {
        Command::Serve {
            storage,
            listen,
            static_dir,
            key,
            max_connections,
            remembered_tails,
        } => {
            let url = storage.url()?;
            let store = Store::open(&url, max_connections).await?;
            let keys =
                Keys::load_or_create(&key.unwrap_or_else(|| storage.data_dir.join("signing-key")))?;
            let (wake, _) = tokio::sync::broadcast::channel(1024);
            let app = Arc::new(roei_server::api::App {
                store,
                keys,
                wake,
                static_dir,
                tokens: Default::default(),
                tails: roei_server::api::TailCache::new(remembered_tails),
            });
            let listener = tokio::net::TcpListener::bind(&listen)
                .await
                .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
            let addr = listener.local_addr().map_err(|e| e.to_string())?;
            println!("roei-server: listening on http://{addr}");
            let _ = std::io::stdout().flush();
            axum::serve(listener, roei_server::api::router(app))
                .with_graceful_shutdown(async {
                    let _ = tokio::signal::ctrl_c().await;
                })
                .await
                .map_err(|e| e.to_string())
        }
        Command::Token {
            command:
                TokenCommand::Add {
                    storage,
                    name,
                    party,
                    principal,
                    contracts,
                },
        } => {
            let (party, contracts) = match party {
                PartyArg::Contractor if contracts.is_empty() => {
                    return Err(
                        "a contractor's token names its contracts (--contract ID, repeatable)"
                            .into(),
                    )
                }
                PartyArg::Contractor => ("contractor", Some(contracts)),
                PartyArg::Principal if !contracts.is_empty() => {
                    return Err("a principal sees all its contracts: leave out --contract".into())
                }
                PartyArg::Principal => ("principal", None),
            };
            let stored = StoredToken {
                name,
                party: party.into(),
                scope: serde_json::to_string(&Scope {
                    principal,
                    contracts,
                })
                .map_err(|e| e.to_string())?,
            };
            caller_of(&stored)?;
            let store = Store::open(&storage.url()?, 1).await?;
            let token = new_token()?;
            store
                .add_token(&token_hash(&token), &stored)
                .await
                .map_err(|e| format!("cannot store the token: {e}"))?;
            println!("{token}");
            Ok(())
        }
        Command::Verify { .. } => unreachable!("handled without a runtime"),
    }
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn verify(key: &str, receipts: &Path, record: &Path) -> Result<(), String> {
    let key_text = if key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit()) {
        key.to_string()
    } else {
        let t = read(Path::new(key))?;
        match serde_json::from_str::<serde_json::Value>(&t) {
            Ok(v) => v["key"].as_str().unwrap_or_default().to_string(),
            Err(_) => t.trim().to_string(),
        }
    };
    let text = read(receipts)?;
    let list: Vec<Receipt> = if text.trim_start().starts_with('[') {
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", receipts.display()))?
    } else {
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .enumerate()
            .map(|(i, l)| {
                serde_json::from_str(l)
                    .map_err(|e| format!("{} line {}: {e}", receipts.display(), i + 1))
            })
            .collect::<Result<_, _>>()?
    };
    let findings = verify_record(&read(record)?, &list, &key_text);
    if findings.is_empty() {
        println!(
            "ok: {} receipt(s) signed by {}… match the record's chain / 受領証と記録の連鎖が一致",
            list.len(),
            &key_text[..key_text.len().min(16)]
        );
        return Ok(());
    }
    for f in &findings {
        println!("{} {} {}", f.code, f.path, f.message);
    }
    Err(format!(
        "{} problem(s): the record is not what the service acknowledged / 受領証と一致しません",
        findings.len()
    ))
}
