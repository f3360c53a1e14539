//! Real parts for the service's tests: the `roei-server` binary as a child process on a free port,
//! a throwaway PostgreSQL cluster (initdb/pg_ctl in a temp dir, removed afterwards), and a small
//! HTTP/1.1 client over a TCP socket (the requests a portal or the widget would send). No mocks.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

pub use serde_json::{json, Value};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_roei-server")
}

/// A fresh directory under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!(
            "roei-server-test-{tag}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A throwaway PostgreSQL cluster. initdb refuses to run as root, so as root the cluster belongs to
/// the user `roeitest` (created if missing) and its commands run through `runuser`.
pub struct Postgres {
    dir: TempDir,
    bin: PathBuf,
    as_user: Option<&'static str>,
    pub url: String,
}

fn postgres_bin() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("ROEI_PG_BIN") {
        return Some(PathBuf::from(p));
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|p| p.join("initdb").exists())
        .collect();
    versions.sort_by_key(|p| {
        p.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    versions.pop().or_else(|| {
        std::env::var_os("PATH").and_then(|path| {
            std::env::split_paths(&path)
                .find(|d| d.join("initdb").exists() && d.join("pg_ctl").exists())
        })
    })
}

fn is_root() -> bool {
    run(Command::new("id").arg("-u")).trim() == "0"
}

impl Postgres {
    /// Starts a cluster, or panics saying how to get PostgreSQL (scripts/setup.sh installs it).
    pub fn start() -> Postgres {
        let bin = postgres_bin().expect(
            "PostgreSQL's initdb/pg_ctl not found: run scripts/setup.sh (apt-get install postgresql), or set ROEI_PG_BIN",
        );
        let as_user = if is_root() {
            if !Command::new("id")
                .arg("roeitest")
                .output()
                .is_ok_and(|o| o.status.success())
            {
                let _ = Command::new("useradd")
                    .args([
                        "--system",
                        "--no-create-home",
                        "--shell",
                        "/usr/sbin/nologin",
                        "roeitest",
                    ])
                    .status();
            }
            Some("roeitest")
        } else {
            None
        };
        let dir = TempDir::new("pg");
        if let Some(u) = as_user {
            run(Command::new("chown").args(["-R", u]).arg(&dir.0));
            // Other users' temp dirs may be closed; the cluster only needs its own.
            run(Command::new("chmod").args(["755"]).arg(&dir.0));
        }
        let data = dir.0.join("data");
        let port = free_port();
        let pg = Postgres {
            url: format!("postgres://roei@127.0.0.1:{port}/postgres"),
            dir,
            bin,
            as_user,
        };
        pg.cmd("initdb", |c| {
            c.arg("-D").arg(&data).args([
                "-U",
                "roei",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ]);
        });
        let opts = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on -c synchronous_commit=on",
            pg.dir.0.display()
        );
        pg.cmd("pg_ctl", |c| {
            c.arg("-D")
                .arg(&data)
                .arg("-o")
                .arg(&opts)
                .arg("-l")
                .arg(pg.dir.0.join("log"))
                .args(["-w", "-t", "60", "start"]);
        });
        pg
    }

    fn cmd(&self, tool: &str, args: impl FnOnce(&mut Command)) -> String {
        let exe = self.bin.join(tool);
        let mut c = match self.as_user {
            Some(u) => {
                let mut c = Command::new("runuser");
                c.args(["-u", u, "--"]).arg(&exe);
                c
            }
            None => Command::new(&exe),
        };
        c.current_dir(&self.dir.0);
        args(&mut c);
        run(&mut c)
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let data = self.dir.0.join("data");
        let exe = self.bin.join("pg_ctl");
        let mut c = match self.as_user {
            Some(u) => {
                let mut c = Command::new("runuser");
                c.args(["-u", u, "--"]).arg(&exe);
                c
            }
            None => Command::new(&exe),
        };
        let _ = c
            .arg("-D")
            .arg(&data)
            .args(["-m", "immediate", "-w", "stop"])
            .output();
    }
}

/// Which database a test runs on.
pub enum Db {
    Sqlite,
    Postgres(Postgres),
}

impl Db {
    pub fn name(&self) -> &'static str {
        match self {
            Db::Sqlite => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }
}

/// Both databases, unless ROEI_SKIP_POSTGRES=1 (never set in CI).
pub fn databases() -> Vec<Db> {
    let mut v = vec![Db::Sqlite];
    if std::env::var("ROEI_SKIP_POSTGRES").as_deref() != Ok("1") {
        v.push(Db::Postgres(Postgres::start()));
    }
    v
}

/// A running `roei-server serve` with its data directory.
pub struct Server {
    pub child: Child,
    pub base: String,
    pub data: PathBuf,
    pub database: Option<String>,
    _dir: Option<TempDir>,
}

impl Server {
    pub fn start(db: &Db) -> Server {
        let dir = TempDir::new("data");
        let data = dir.0.clone();
        let database = match db {
            Db::Sqlite => None,
            Db::Postgres(pg) => Some(pg.url.clone()),
        };
        let mut s = Server::spawn(&data, database.clone());
        s._dir = Some(dir);
        s
    }

    /// Starts (or restarts) on an existing data directory.
    pub fn spawn(data: &Path, database: Option<String>) -> Server {
        Server::spawn_program(bin(), data, database, &[])
    }

    /// [`Server::spawn`] of the `roei-server` binary `program` with more options of its `serve`.
    pub fn spawn_program(
        program: &str,
        data: &Path,
        database: Option<String>,
        options: &[&str],
    ) -> Server {
        let mut c = Command::new(program);
        c.arg("serve")
            .arg("--data-dir")
            .arg(data)
            .args(["--listen", "127.0.0.1:0"])
            .args(options);
        if let Some(d) = &database {
            c.args(["--database", d]);
        }
        let mut child = c
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let base = line
            .trim()
            .strip_prefix("roei-server: listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_string();
        Server {
            child,
            base,
            data: data.to_path_buf(),
            database,
            _dir: None,
        }
    }

    /// `roei-server token add …` on this server's storage; returns the token.
    pub fn token(&self, name: &str, party: &str, principal: &str, contracts: &[&str]) -> String {
        let mut c = Command::new(bin());
        c.args(["token", "add", "--data-dir"]).arg(&self.data);
        if let Some(d) = &self.database {
            c.args(["--database", d]);
        }
        c.args(["--name", name, "--party", party, "--principal", principal]);
        for k in contracts {
            c.args(["--contract", k]);
        }
        run(&mut c).trim().to_string()
    }

    pub fn addr(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Percent-encodes a path segment or query value.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One request with `Connection: close`.
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Answer {
    try_request(addr, method, path, headers, body)
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

/// The same, with a connection failure as an error (the server was killed).
pub fn try_request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> std::io::Result<Answer> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut all = vec![("Connection", "close")];
    all.extend_from_slice(headers);
    s.write_all(request_text(addr, method, path, &all, body).as_bytes())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    if !raw.windows(4).any(|w| w == b"\r\n\r\n") {
        return Err(std::io::Error::other("connection closed before an answer"));
    }
    Ok(parse_answer(&raw))
}

/// The text of one HTTP/1.1 request (a JSON body on anything but GET).
fn request_text(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> String {
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    let body = body.unwrap_or("");
    if method != "GET" {
        req.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    req.push_str("\r\n");
    req.push_str(body);
    req
}

fn parse_answer(raw: &[u8]) -> Answer {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("no header end");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"))
    {
        let mut out = Vec::new();
        let mut rest = &body[..];
        while let Some(nl) = rest.windows(2).position(|w| w == b"\r\n") {
            let n =
                usize::from_str_radix(String::from_utf8_lossy(&rest[..nl]).trim(), 16).unwrap_or(0);
            if n == 0 {
                break;
            }
            out.extend_from_slice(&rest[nl + 2..nl + 2 + n]);
            rest = &rest[nl + 2 + n + 2..];
        }
        body = out;
    }
    Answer {
        status,
        headers,
        body: String::from_utf8(body).expect("UTF-8 body"),
    }
}

/// One kept-alive HTTP/1.1 connection, as a browser or a portal's HTTP client holds one: requests
/// go one after another over the same socket (answers are read by their Content-Length).
pub struct Session {
    reader: BufReader<TcpStream>,
    addr: String,
    auth: Option<String>,
}

impl Session {
    pub fn call(
        &mut self,
        method: &str,
        path: &str,
        if_match: Option<&str>,
        body: Option<&str>,
    ) -> Answer {
        let auth = self.auth.as_ref().map(|t| format!("Bearer {t}"));
        let mut h: Vec<(&str, &str)> = Vec::new();
        if let Some(a) = &auth {
            h.push(("Authorization", a));
        }
        if let Some(m) = if_match {
            h.push(("If-Match", m));
        }
        let req = request_text(&self.addr, method, path, &h, body);
        self.reader.get_mut().write_all(req.as_bytes()).unwrap();
        let mut head = Vec::new();
        while !head.ends_with(b"\r\n\r\n") {
            let n = self.reader.read_until(b'\n', &mut head).unwrap();
            assert!(n > 0, "{method} {path}: the connection closed");
        }
        let length = String::from_utf8_lossy(&head)
            .split("\r\n")
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
            .map(|(_, v)| v.trim().parse::<usize>().unwrap())
            .expect("a kept-alive answer carries Content-Length");
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).unwrap();
        head.extend(body);
        parse_answer(&head)
    }

    pub fn append(&mut self, id: &str, head: &str, event: &Value) -> Answer {
        self.call(
            "POST",
            &format!("/roei-api/incidents/{}/events", enc(id)),
            Some(&format!("\"{head}\"")),
            Some(&event.to_string()),
        )
    }
}

/// A client holding one party's token.
#[derive(Clone)]
pub struct Client {
    pub addr: String,
    pub token: Option<String>,
}

impl Client {
    pub fn new(server: &Server, token: Option<&str>) -> Client {
        Client {
            addr: server.addr().to_string(),
            token: token.map(str::to_string),
        }
    }

    pub fn call(
        &self,
        method: &str,
        path: &str,
        if_match: Option<&str>,
        body: Option<&str>,
    ) -> Answer {
        self.try_call(method, path, if_match, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    pub fn try_call(
        &self,
        method: &str,
        path: &str,
        if_match: Option<&str>,
        body: Option<&str>,
    ) -> std::io::Result<Answer> {
        let auth = self.token.as_ref().map(|t| format!("Bearer {t}"));
        let mut h: Vec<(&str, &str)> = Vec::new();
        if let Some(a) = &auth {
            h.push(("Authorization", a));
        }
        if let Some(m) = if_match {
            h.push(("If-Match", m));
        }
        try_request(&self.addr, method, path, &h, body)
    }

    /// The status of a GET whose body may never end (the event stream): reads only the head.
    pub fn status_only(&self, path: &str) -> u16 {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let auth = self
            .token
            .as_ref()
            .map(|t| format!("Authorization: Bearer {t}\r\n"))
            .unwrap_or_default();
        s.write_all(format!("GET {path} HTTP/1.1\r\nHost: {}\r\n{auth}\r\n", self.addr).as_bytes())
            .unwrap();
        let mut line = String::new();
        BufReader::new(s).read_line(&mut line).unwrap();
        line.split(' ').nth(1).unwrap().parse().unwrap()
    }

    /// A kept-alive connection with this client's token.
    pub fn session(&self) -> Session {
        let s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        s.set_nodelay(true).unwrap();
        Session {
            reader: BufReader::new(s),
            addr: self.addr.clone(),
            auth: self.token.clone(),
        }
    }

    pub fn get(&self, path: &str) -> Answer {
        self.call("GET", path, None, None)
    }

    pub fn create(&self, id: &str, contracts: Value) -> Answer {
        self.call(
            "POST",
            "/roei-api/incidents",
            None,
            Some(
                &json!({"id": id, "title": "USBメモリの紛失", "contracts": contracts}).to_string(),
            ),
        )
    }

    pub fn append(&self, id: &str, head: &str, event: &Value) -> Answer {
        self.call(
            "POST",
            &format!("/roei-api/incidents/{}/events", enc(id)),
            Some(&format!("\"{head}\"")),
            Some(&event.to_string()),
        )
    }

    pub fn head(&self, id: &str) -> String {
        let a = self.get(&format!("/roei-api/incidents/{}", enc(id)));
        assert_eq!(a.status, 200, "{}", a.body);
        a.header("etag").unwrap().trim_matches('"').to_string()
    }

    /// Opens the event stream; each `append` event's data arrives on the channel.
    pub fn stream(&self, id: &str, after: i64) -> std::sync::mpsc::Receiver<Value> {
        let (tx, rx) = std::sync::mpsc::channel();
        let mut s = TcpStream::connect(&self.addr).unwrap();
        let req = format!(
            "GET /roei-api/incidents/{}/stream?after={after} HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\nAuthorization: Bearer {}\r\n\r\n",
            enc(id),
            self.addr,
            self.token.clone().unwrap_or_default()
        );
        s.write_all(req.as_bytes()).unwrap();
        std::thread::spawn(move || {
            let r = BufReader::new(s);
            let mut event = String::new();
            for line in r.lines() {
                let Ok(line) = line else { return };
                if let Some(e) = line.strip_prefix("event: ") {
                    event = e.to_string();
                } else if let Some(d) = line.strip_prefix("data: ") {
                    if event == "append" {
                        if let Ok(v) = serde_json::from_str::<Value>(d) {
                            if tx.send(v).is_err() {
                                return;
                            }
                        }
                    }
                }
            }
        });
        rx
    }
}

pub fn nagaoka(contract: &str, principal: &str) -> Value {
    json!([{ "id": contract, "profile": "nagaoka", "principal": principal, "contractor": "株式会社例示" }])
}

pub fn event(id: &str, at: &str, kind: &str, data: Value) -> Value {
    json!({ "id": id, "at": at, "type": kind, "data": data })
}
