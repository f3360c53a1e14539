//! Every API call against SQLite and a real PostgreSQL, the authorization matrix (every role ×
//! every endpoint, each forbidden case included), and the OpenAPI file against the router.
mod common;
use common::*;

const T0: &str = "2026-11-02T10:15:00+09:00";

/// Every call of the API in the order a contractor and a city use them, on one database.
fn every_call(db: &Db) {
    let s = Server::start(db);
    let contractor = Client::new(
        &s,
        Some(&s.token("株式会社例示", "contractor", "長岡市", &["R8-0123"])),
    );
    let city = Client::new(
        &s,
        Some(&s.token("長岡市 情報政策課", "principal", "長岡市", &[])),
    );
    let who = contractor.get("/roei-api/whoami").json();
    assert_eq!(who["party"], "contractor", "{}", db.name());
    assert_eq!(who["contracts"], json!(["R8-0123"]));
    assert_eq!(city.get("/roei-api/whoami").json()["party"], "principal");

    // Create; the answer's head is the chain's genesis and the ETag.
    let created = contractor.create("INC-2026-0042", nagaoka("R8-0123", "長岡市"));
    assert_eq!(created.status, 201, "{}", created.body);
    let head0 = created.json()["head"].as_str().unwrap().to_string();
    assert_eq!(created.header("etag").unwrap(), format!("\"{head0}\""));
    assert_eq!(
        created.header("location").unwrap(),
        "/roei-api/incidents/INC-2026-0042"
    );
    let again = city.create("INC-2026-0042", nagaoka("R8-0123", "長岡市"));
    assert_eq!(
        (again.status, again.json()["code"].clone()),
        (409, json!("incident_exists"))
    );
    let bad = contractor.create(
        "X",
        json!([{"id": "R8-0123", "profile": "nowhere", "principal": "長岡市"}]),
    );
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["code"], "unknown_profile");
    assert_eq!(bad.json()["path"], "contracts[0].profile");

    // The city watches the record live.
    let live = city.stream("INC-2026-0042", 0);

    // Append with If-Match; the actor and received_at are the server's.
    let e1 = event(
        "e1",
        T0,
        "detected",
        json!({"kind": "loss", "signs_only": true}),
    );
    let a1 = contractor.append("INC-2026-0042", &head0, &e1);
    assert_eq!(a1.status, 201, "{}", a1.body);
    let a1 = a1.json();
    assert_eq!(a1["seq"], 1);
    assert_eq!(a1["event"]["actor"], "contractor");
    assert!(a1["event"]["received_at"]
        .as_str()
        .unwrap()
        .ends_with("+09:00"));
    assert_eq!(
        a1["event"]["at"], T0,
        "the declared time is kept apart from received_at"
    );
    let head1 = a1["head"].as_str().unwrap().to_string();
    assert_eq!(a1["receipt"]["head"], head1);
    let seen = live
        .recv_timeout(std::time::Duration::from_secs(1))
        .expect("the city sees the append within a second");
    assert_eq!(seen["event"]["id"], "e1");
    assert_eq!(seen["head"], head1);

    // A stale head: 409 with the current head; the client re-checks and retries.
    let e2 = event(
        "e2",
        "2026-11-02T11:05:00+09:00",
        "reported_to_principal",
        json!({"written": true, "fields": {"content": "住民の氏名・住所", "count": "1,200件", "location": "作業場所", "circumstances": "保管庫から所在不明"}}),
    );
    let stale = contractor.append("INC-2026-0042", &head0, &e2);
    assert_eq!(stale.status, 409, "{}", stale.body);
    assert_eq!(stale.json()["code"], "head_conflict");
    assert_eq!(stale.json()["head"], head1);
    let no_if_match = contractor.call(
        "POST",
        "/roei-api/incidents/INC-2026-0042/events",
        None,
        Some(&e2.to_string()),
    );
    assert_eq!(
        (no_if_match.status, no_if_match.json()["code"].clone()),
        (428, json!("if_match_required"))
    );
    let a2 = contractor.append("INC-2026-0042", &head1, &e2);
    assert_eq!(a2.status, 201, "{}", a2.body);
    let head2 = a2.json()["head"].as_str().unwrap().to_string();
    assert_eq!(
        live.recv_timeout(std::time::Duration::from_secs(1))
            .unwrap()["event"]["id"],
        "e2"
    );

    // A retry of an acknowledged event (its answer lost) gets its receipt back, nothing doubles.
    let repeat = contractor.append("INC-2026-0042", &head0, &e1);
    assert_eq!(repeat.status, 200, "{}", repeat.body);
    assert_eq!(repeat.json()["repeat"], true);
    assert_eq!(repeat.json()["receipt"], a1["receipt"]);
    let changed = contractor.append(
        "INC-2026-0042",
        &head2,
        &event("e1", T0, "detected", json!({"kind": "leak"})),
    );
    assert_eq!(
        (changed.status, changed.json()["code"].clone()),
        (422, json!("duplicate_id"))
    );

    // roei-core refuses what the record cannot hold, naming the path.
    let bad_at = contractor.append(
        "INC-2026-0042",
        &head2,
        &event("e3", "yesterday", "facts", json!({})),
    );
    assert_eq!(bad_at.status, 422, "{}", bad_at.body);
    assert_eq!(bad_at.json()["path"], "event.at");
    let dup_key = contractor.call(
        "POST",
        "/roei-api/incidents/INC-2026-0042/events",
        Some(&head2),
        Some(r#"{"id":"e3","id":"e4","at":"2026-11-02T12:00:00+09:00","type":"facts"}"#),
    );
    assert_eq!(
        (dup_key.status, dup_key.json()["code"].clone()),
        (422, json!("json"))
    );
    assert!(dup_key.json()["message"]
        .as_str()
        .unwrap()
        .contains("duplicate key"));
    for k in ["received_at", "seal"] {
        let mut e = event("e3", T0, "facts", json!({}));
        e[k] = json!("x");
        let a = contractor.append("INC-2026-0042", &head2, &e);
        assert_eq!((a.status, a.json()["path"].clone()), (422, json!(k)));
    }

    // Whose duty: from the catalog, not the body.
    let mut forged = event("e3", "2026-11-02T12:00:00+09:00", "facts", json!({}));
    forged["actor"] = json!("principal");
    let a = contractor.append("INC-2026-0042", &head2, &forged);
    assert_eq!(
        (a.status, a.json()["code"].clone()),
        (403, json!("actor_not_caller"))
    );
    let ppc = event(
        "e3",
        "2026-11-05T12:00:00+09:00",
        "ppc_preliminary_reported",
        json!({"written": true}),
    );
    let a = contractor.append("INC-2026-0042", &head2, &ppc);
    assert_eq!(
        (a.status, a.json()["code"].clone()),
        (403, json!("duty_of_other_party")),
        "{}",
        a.body
    );
    assert!(
        a.json()["clause"].as_str().unwrap().starts_with("appi"),
        "{}",
        a.body
    );
    let a = city.append("INC-2026-0042", &head2, &e2.clone().tap_id("e9"));
    assert_eq!(
        (a.status, a.json()["code"].clone()),
        (403, json!("duty_of_other_party"))
    );
    assert!(a.json()["clause"].as_str().unwrap().starts_with("nagaoka:"));
    let a3 = city.append("INC-2026-0042", &head2, &ppc);
    assert_eq!(a3.status, 201, "{}", a3.body);
    assert_eq!(a3.json()["event"]["actor"], "principal");
    let head3 = a3.json()["head"].as_str().unwrap().to_string();
    assert_eq!(
        live.recv_timeout(std::time::Duration::from_secs(1))
            .unwrap()["event"]["id"],
        "e3"
    );

    // Record, status, dashboard, documents.
    let rec = contractor.get("/roei-api/incidents/INC-2026-0042");
    assert_eq!(rec.header("etag").unwrap(), format!("\"{head3}\""));
    let record = rec.json();
    assert_eq!(record["events"].as_array().unwrap().len(), 3);
    let st = city
        .get("/roei-api/incidents/INC-2026-0042/status?at=2026-11-02T12:00:00%2B09:00")
        .json();
    assert_eq!(st["format"], "roei/status@1");
    assert_eq!(st["head"], head3);
    let report13 = st["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["clause"] == "nagaoka:13-1")
        .unwrap();
    assert_eq!(report13["status"], "done");
    let list = city
        .get("/roei-api/incidents?at=2026-11-02T12:00:00%2B09:00")
        .json();
    let row = &list["incidents"][0];
    assert_eq!(row["id"], "INC-2026-0042");
    assert_eq!(row["events"], 3);
    assert!(row["next_deadline"]["due"].is_string(), "{row}");
    // A second incident whose report to the city (直ちに, one hour) is late at noon.
    let late = city
        .create("INC-2026-0043", nagaoka("R8-0123", "長岡市"))
        .json();
    let h = late["head"].as_str().unwrap();
    assert_eq!(
        city.append(
            "INC-2026-0043",
            h,
            &event("d", T0, "detected", json!({"kind": "loss"}))
        )
        .status,
        201
    );
    // And one without events between them: the dashboard merges headers and events by id.
    assert_eq!(
        city.create("INC-2026-0042-empty", nagaoka("R8-0123", "長岡市"))
            .status,
        201
    );
    let list = contractor
        .get("/roei-api/incidents?at=2026-11-02T12:00:00%2B09:00")
        .json();
    let rows = list["incidents"].as_array().unwrap();
    let shown: Vec<(Value, Value, Value)> = rows
        .iter()
        .map(|r| (r["id"].clone(), r["events"].clone(), r["overdue"].clone()))
        .collect();
    assert_eq!(
        shown,
        [
            (json!("INC-2026-0042"), json!(3), json!(0)),
            (json!("INC-2026-0042-empty"), json!(0), json!(0)),
            (json!("INC-2026-0043"), json!(1), json!(1)),
        ],
        "{list}"
    );
    let bad_time = city.get("/roei-api/incidents?at=tomorrow");
    assert_eq!(
        (bad_time.status, bad_time.json()["path"].clone()),
        (400, json!("at"))
    );
    for (path, ct, needle) in [
        (
            "report?kind=principal&format=md",
            "text/markdown",
            "INC-2026-0042",
        ),
        (
            "report?kind=ppc-preliminary&format=html&lang=en",
            "text/html",
            "<html",
        ),
        (
            "report?kind=record&format=json",
            "application/json",
            "INC-2026-0042",
        ),
        ("calendar.ics", "text/calendar", "BEGIN:VCALENDAR"),
        ("timeline.svg?lang=en", "image/svg+xml", "<svg"),
    ] {
        let a = contractor.get(&format!("/roei-api/incidents/INC-2026-0042/{path}"));
        assert_eq!(a.status, 200, "{path}: {}", a.body);
        assert!(a.header("content-type").unwrap().starts_with(ct), "{path}");
        assert!(a.body.contains(needle), "{path}");
    }
    let bad_kind = contractor.get("/roei-api/incidents/INC-2026-0042/report?kind=nope");
    assert_eq!(bad_kind.status, 422);

    // Receipts: signed by the published key; the record passes through every signed head.
    let key = contractor.get("/.well-known/roei-signing-key").json();
    assert_eq!(key["alg"], "ed25519");
    let key = key["key"].as_str().unwrap().to_string();
    let receipts: Vec<roei_server::receipt::Receipt> =
        [&a1["receipt"], &a2.json()["receipt"], &a3.json()["receipt"]]
            .iter()
            .map(|r| serde_json::from_value((*r).clone()).unwrap())
            .collect();
    assert_eq!(
        roei_server::receipt::verify_record(&rec.body, &receipts, &key),
        vec![]
    );
    // The operator rewrites an acknowledged event: the receipts contradict it.
    let forged_record = rec.body.replace("\"kind\":\"loss\"", "\"kind\":\"other\"");
    let findings = roei_server::receipt::verify_record(&forged_record, &receipts, &key);
    assert!(
        findings.iter().any(|f| f.code == "chain_broken"),
        "{findings:?}"
    );
    // The CLI check, end to end.
    let dir = TempDir::new("verify");
    std::fs::write(dir.0.join("r.json"), &rec.body).unwrap();
    std::fs::write(
        dir.0.join("receipts.json"),
        serde_json::to_string(&receipts).unwrap(),
    )
    .unwrap();
    let ok = std::process::Command::new(bin())
        .args(["verify", "--key", &key, "--receipts"])
        .arg(dir.0.join("receipts.json"))
        .arg("--record")
        .arg(dir.0.join("r.json"))
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    std::fs::write(dir.0.join("r.json"), &forged_record).unwrap();
    let bad = std::process::Command::new(bin())
        .args(["verify", "--key", &key, "--receipts"])
        .arg(dir.0.join("receipts.json"))
        .arg("--record")
        .arg(dir.0.join("r.json"))
        .output()
        .unwrap();
    assert!(!bad.status.success());

    // The OpenAPI file is served.
    assert_eq!(
        Client::new(&s, None).get("/roei-api/openapi.json").json()["openapi"],
        "3.1.0"
    );
}

trait TapId {
    fn tap_id(self, id: &str) -> Value;
}
impl TapId for Value {
    fn tap_id(mut self, id: &str) -> Value {
        self["id"] = json!(id);
        self
    }
}

#[test]
fn every_call_works_on_sqlite_and_postgresql() {
    for db in databases() {
        every_call(&db);
    }
}

/// The service reads only the head of a log to append (docs/SERVER.md); the record's limits over
/// the whole log must still hold both ways: events of 255 kB are appended until the service
/// refuses one as `too_large`; the record then stored is one roei-core's reader accepts, and the
/// refused event would have made one it refuses. The same holds on rows written before schema 2
/// (no stored size: the service counts the log once).
fn size_limit(db: &Db) {
    let mut s = Server::start(db);
    let token = s.token("株式会社例示", "contractor", "長岡市", &["R8-0123"]);
    let mut c = Client::new(&s, Some(&token));
    let mut restarted: Option<Server> = None;
    let limits = roei_core::Limits::default();
    let note = "x".repeat(255_000);
    let mut refused = None;
    for id in ["BIG-1", "BIG-2"] {
        let mut head = c.create(id, nagaoka("R8-0123", "長岡市")).json()["head"]
            .as_str()
            .unwrap()
            .to_string();
        let mut n = 0;
        let answer = loop {
            let a = c.append(
                id,
                &head,
                &event(&format!("e{n}"), T0, "facts", json!({ "note": note })),
            );
            if a.status != 201 {
                break a;
            }
            head = a.json()["head"].as_str().unwrap().to_string();
            n += 1;
            if id == "BIG-2" && n == 20 {
                // As if written by schema 1: no stored sizes.
                let url = s.database.clone().unwrap_or_else(|| {
                    format!("sqlite://{}", s.data.join("roei.sqlite3").display())
                });
                tokio::runtime::Runtime::new().unwrap().block_on(async {
                    let store = roei_server::store::Store::open(&url, 1).await.unwrap();
                    sqlx::query(
                        "UPDATE roei_events SET record_bytes = NULL WHERE incident_id = 'BIG-2'",
                    )
                    .execute(&store.pool)
                    .await
                    .unwrap();
                });
                // A fresh instance: nothing remembered of this log's tail, so the next append reads
                // the head row, which has no size.
                s.kill9();
                let fresh = Server::spawn(&s.data, s.database.clone());
                c = Client::new(&fresh, Some(&token));
                restarted = Some(fresh);
            }
        };
        assert_eq!(
            (answer.status, answer.json()["code"].clone()),
            (422, json!("too_large")),
            "{}: {}",
            db.name(),
            answer.body
        );
        let stored = c.get(&format!("/roei-api/incidents/{id}"));
        assert!(stored.body.len() <= limits.max_bytes);
        let rec = roei_core::Record::parse(&stored.body).unwrap();
        assert_eq!(rec.events.len(), n);
        assert_eq!(roei_core::seal::verify(&rec).unwrap().sealed, n);
        // The refused event, sealed as the service would have stored it, is over the reader's limit.
        assert!(stored.body.len() + 1 + 255_000 > limits.max_bytes);
        if let Some(first) = refused {
            assert_eq!(first, n, "the same limit with and without stored sizes");
        }
        refused = Some(n);
    }
    assert!(restarted.is_some());
}

#[test]
fn appends_stop_at_the_record_size_the_reader_accepts() {
    for db in databases() {
        size_limit(&db);
    }
}

/// Two instances on one database (as behind a load balancer): the tail each remembers is never
/// trusted for an answer. They take turns on one incident, each with a stale remembered tail in
/// turn: an If-Match other than the remembered head is checked against the database (201 on the
/// true head, 409 naming the database's head), a conflict at the insert is answered with the
/// database's head, a repeated event id answers as without the memory (the receipt for the same
/// event, 422 for another), and the record is one sealed chain every receipt verifies.
fn two_instances(db: &Db) {
    let a = Server::start(db);
    let token = a.token("株式会社例示", "contractor", "長岡市", &["R8-0123"]);
    let b = Server::spawn(&a.data, a.database.clone());
    let (ca, cb) = (Client::new(&a, Some(&token)), Client::new(&b, Some(&token)));
    let h0 = ca.create("TAILS", nagaoka("R8-0123", "長岡市")).json()["head"]
        .as_str()
        .unwrap()
        .to_string();
    let e = |id: &str| event(id, T0, "facts", json!({ "note": id }));
    let mut receipts = Vec::new();
    let mut created = |c: &Client, head: &str, id: &str, seq: u64| -> String {
        let answer = c.append("TAILS", head, &e(id));
        assert_eq!(
            (answer.status, answer.json()["seq"].clone()),
            (201, json!(seq)),
            "{}: {id}: {}",
            db.name(),
            answer.body
        );
        receipts.push(answer.json()["receipt"].clone());
        answer.json()["head"].as_str().unwrap().to_string()
    };
    // A remembers h1, then B remembers h2 (A's h1 is stale).
    let h1 = created(&ca, &h0, "a1", 1);
    let h2 = created(&cb, &h1, "b1", 2);
    // If-Match differs from A's remembered head but is the database's: checked there, stored.
    let h3 = created(&ca, &h2, "a2", 3);
    // If-Match is B's remembered head, stale in the database: the insert conflicts; the answer names
    // the database's head, not the remembered one.
    let stale = cb.append("TAILS", &h2, &e("b2"));
    assert_eq!(
        (
            stale.status,
            stale.json()["head"].clone(),
            stale.json()["events"].clone()
        ),
        (409, json!(h3), json!(3)),
        "{}: {}",
        db.name(),
        stale.body
    );
    let h4 = created(&cb, &h3, "b2", 4);
    // A remembers h5, which is the database's head.
    let h5 = created(&ca, &h4, "a3", 5);
    // A client retrying a stored event (its answer was lost) on the head it had gets the receipt:
    // on the current head (A's remembered one: the insert's id key conflicts) and on the one
    // before, through either instance (B's remembered head is stale).
    for (c, head) in [(&ca, &h5), (&ca, &h4), (&cb, &h4), (&cb, &h5)] {
        let again = c.append("TAILS", head, &e("a3"));
        assert_eq!(
            (
                again.status,
                again.json()["repeat"].clone(),
                again.json()["seq"].clone()
            ),
            (200, json!(true), json!(5)),
            "{}: {}",
            db.name(),
            again.body
        );
    }
    // Another event under a stored id: refused as without the memory.
    let mut other = e("a3");
    other["data"]["note"] = json!("別の内容");
    for c in [&ca, &cb] {
        let dup = c.append("TAILS", &h5, &other);
        assert_eq!(
            (dup.status, dup.json()["code"].clone()),
            (422, json!("duplicate_id")),
            "{}: {}",
            db.name(),
            dup.body
        );
    }
    // Turns again, each instance's memory stale at each turn: the chain never forks.
    let mut head = h5;
    for n in 6..=11 {
        let c = if n % 2 == 0 { &cb } else { &ca };
        head = created(c, &head, &format!("t{n}"), n);
    }
    let body = cb.get("/roei-api/incidents/TAILS").body;
    let rec = roei_core::Record::parse(&body).unwrap();
    let ids: Vec<&str> = rec.events.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        ["a1", "b1", "a2", "b2", "a3", "t6", "t7", "t8", "t9", "t10", "t11"]
    );
    assert_eq!(roei_core::seal::verify(&rec).unwrap().sealed, 11);
    assert_eq!(ca.head("TAILS"), head);
    let key = ca.get("/.well-known/roei-signing-key").json()["key"]
        .as_str()
        .unwrap()
        .to_string();
    let receipts: Vec<roei_server::receipt::Receipt> = receipts
        .into_iter()
        .map(|r| serde_json::from_value(r).unwrap())
        .collect();
    assert_eq!(
        roei_server::receipt::verify_record(&body, &receipts, &key),
        vec![],
        "{}",
        db.name()
    );
}

#[test]
fn two_instances_on_one_database_keep_one_chain() {
    for db in databases() {
        two_instances(&db);
    }
}

/// Every role × every endpoint. Roles: no token, an unknown token, the contractor of the incident's
/// contract, a contractor of another contract of the same city, the city, another city.
fn matrix(db: &Db) {
    let s = Server::start(db);
    let tok = |n: &str, p: &str, pr: &str, c: &[&str]| Some(s.token(n, p, pr, c));
    let roles: Vec<(&str, Option<String>)> = vec![
        ("anonymous", None),
        ("unknown", Some("roei_not-a-token".into())),
        (
            "contractor",
            tok("例示", "contractor", "長岡市", &["R8-0123"]),
        ),
        (
            "other_contractor",
            tok("別会社", "contractor", "長岡市", &["R8-9999"]),
        ),
        ("principal", tok("長岡市", "principal", "長岡市", &[])),
        ("other_principal", tok("札幌市", "principal", "札幌市", &[])),
    ];
    let owner = Client::new(&s, roles[2].1.as_deref());
    let created = owner.create("INC-M", nagaoka("R8-0123", "長岡市"));
    assert_eq!(created.status, 201);
    let genesis = created.json()["head"].as_str().unwrap().to_string();
    let first = owner.append(
        "INC-M",
        &genesis,
        &event("m0", T0, "detected", json!({"kind": "loss"})),
    );
    assert_eq!(first.status, 201);
    for (role, token) in &roles {
        let c = Client::new(&s, token.as_deref());
        let in_scope = matches!(*role, "contractor" | "principal");
        let authed = *role != "anonymous" && *role != "unknown";
        let want = |ok: u16| {
            if !authed {
                401
            } else if in_scope {
                ok
            } else {
                404
            }
        };
        let head = owner.head("INC-M");
        let get_paths = [
            "/roei-api/incidents/INC-M",
            "/roei-api/incidents/INC-M/status",
            "/roei-api/incidents/INC-M/report",
            "/roei-api/incidents/INC-M/calendar.ics",
            "/roei-api/incidents/INC-M/timeline.svg",
        ];
        for p in get_paths {
            assert_eq!(c.get(p).status, want(200), "{} {role} GET {p}", db.name());
        }
        assert_eq!(
            c.status_only("/roei-api/incidents/INC-M/stream?after=99"),
            want(200),
            "{role} stream"
        );
        // Append: a neutral event (anyone's), then each party's own and the other's duty.
        let neutral = c.append(
            "INC-M",
            &head,
            &event(
                &format!("n-{role}"),
                T0,
                "facts",
                json!({"encrypted": false}),
            ),
        );
        assert_eq!(
            neutral.status,
            want(201),
            "{} {role} append facts: {}",
            db.name(),
            neutral.body
        );
        let head = owner.head("INC-M");
        let report = c.append(
            "INC-M",
            &head,
            &event(&format!("r-{role}"), T0, "reported_to_principal", json!({})),
        );
        let ppc = c.append(
            "INC-M",
            &head,
            &event(
                &format!("p-{role}"),
                "2026-11-04T10:00:00+09:00",
                "ppc_preliminary_reported",
                json!({}),
            ),
        );
        match *role {
            "contractor" => {
                assert_eq!(report.status, 201, "{}", report.body);
                assert_eq!(ppc.status, 403);
            }
            "principal" => {
                assert_eq!(report.status, 403);
                assert_eq!(ppc.status, 201, "{}", ppc.body);
            }
            _ => {
                assert_eq!(report.status, want(0), "{role}");
                assert_eq!(ppc.status, want(0), "{role}");
            }
        }
        // Create: only within one's own scope.
        let mine = c.create(&format!("NEW-{role}"), nagaoka("R8-0123", "長岡市"));
        let expect_create = match *role {
            "anonymous" | "unknown" => 401,
            "contractor" | "principal" => 201,
            _ => 403,
        };
        assert_eq!(mine.status, expect_create, "{role} create: {}", mine.body);
        if expect_create == 403 {
            assert_eq!(mine.json()["code"], "contract_out_of_scope");
        }
        // The list shows exactly what the scope covers.
        let list = c.get("/roei-api/incidents");
        if authed {
            let ids: Vec<String> = list.json()["incidents"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].as_str().unwrap().to_string())
                .collect();
            assert_eq!(
                ids.contains(&"INC-M".to_string()),
                in_scope,
                "{role} list: {ids:?}"
            );
        } else {
            assert_eq!(list.status, 401);
        }
        assert_eq!(
            c.get("/roei-api/whoami").status,
            if authed { 200 } else { 401 }
        );
        // The public parts need no token.
        assert_eq!(c.get("/.well-known/roei-signing-key").status, 200);
        assert_eq!(c.get("/roei-api/openapi.json").status, 200);
    }
    // The other city's contractor sees nothing of it in the list, and the other city's own
    // incident is invisible to Nagaoka's parties.
    let sapporo = Client::new(&s, roles[5].1.as_deref());
    assert_eq!(
        sapporo.create("INC-S", nagaoka("S-1", "札幌市")).status,
        201
    );
    assert_eq!(owner.get("/roei-api/incidents/INC-S").status, 404);
    assert_eq!(
        Client::new(&s, roles[4].1.as_deref())
            .get("/roei-api/incidents/INC-S")
            .status,
        404
    );
}

#[test]
fn authorization_matrix_on_sqlite_and_postgresql() {
    for db in databases() {
        matrix(&db);
    }
}

#[test]
fn the_openapi_file_describes_exactly_the_routes() {
    let spec: Value = serde_json::from_str(roei_server::api::OPENAPI).unwrap();
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, ops) in spec["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            documented.push((method.clone(), path.clone()));
        }
    }
    let mut routed: Vec<(String, String)> = roei_server::api::ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    documented.sort();
    routed.sort();
    assert_eq!(documented, routed);
}
