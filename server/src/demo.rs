//! `leadline demo --leads N`: a realistic workspace — the default pipeline, sources, lost
//! reasons, a manager and sales reps, and N leads spread over a year with their stage history,
//! timeline and tags. Seeded, so the same command gives the same data.
//!
//! It writes rows in bulk (hundreds per statement) instead of through the lead domain, which
//! would take hours for a million leads; it writes the same rows the domain would.

use crate::config::Settings;
use app::server::{users, Actor, Db, Sql};
use std::time::Instant;

const FIRST: &[&str] = &[
    "Andrei",
    "Maria",
    "Ioana",
    "Mihai",
    "Elena",
    "Alexandru",
    "Ana",
    "Cristina",
    "Daniel",
    "Gabriel",
    "Laura",
    "Radu",
    "Sofia",
    "Victor",
    "Diana",
    "Emma",
    "Liam",
    "Olivia",
    "Noah",
    "Ava",
    "James",
    "Isabella",
    "Lucas",
    "Mia",
    "Ethan",
    "Amelia",
    "Oliver",
    "Charlotte",
    "Henry",
    "Harper",
    "Jakob",
    "Lena",
    "Pierre",
    "Camille",
];
const LAST: &[&str] = &[
    "Popescu",
    "Ionescu",
    "Dumitru",
    "Stan",
    "Stoica",
    "Gheorghe",
    "Rusu",
    "Munteanu",
    "Matei",
    "Constantin",
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Wilson",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Martin",
    "Schmidt",
    "Müller",
    "Dubois",
    "Rossi",
    "Novak",
    "Kowalski",
];
const COMPANY_A: &[&str] = &[
    "Carpathia",
    "Danube",
    "Blue",
    "North",
    "Bright",
    "Iron",
    "Green",
    "Silver",
    "Nova",
    "Atlas",
    "Summit",
    "Delta",
    "Vertex",
    "Orion",
    "Pioneer",
    "Harbor",
    "Crystal",
    "Eagle",
    "Maple",
    "Quantum",
];
const COMPANY_B: &[&str] = &[
    "Logistics",
    "Software",
    "Foods",
    "Energy",
    "Systems",
    "Consulting",
    "Retail",
    "Health",
    "Media",
    "Labs",
    "Construct",
    "Finance",
    "Motors",
    "Textiles",
    "Pharma",
    "Travel",
    "Analytics",
    "Robotics",
];
const SUFFIX: &[&str] = &["SRL", "SA", "Ltd", "GmbH", "Inc", "SAS"];
const PLACES: &[(&str, &str, &str)] = &[
    ("Bucharest", "Bucharest", "Romania"),
    ("Cluj-Napoca", "Cluj", "Romania"),
    ("Iași", "Iași", "Romania"),
    ("Timișoara", "Timiș", "Romania"),
    ("Brașov", "Brașov", "Romania"),
    ("Constanța", "Constanța", "Romania"),
    ("London", "England", "United Kingdom"),
    ("Berlin", "Berlin", "Germany"),
    ("Paris", "Île-de-France", "France"),
    ("Vienna", "Vienna", "Austria"),
    ("Milan", "Lombardy", "Italy"),
    ("Warsaw", "Masovia", "Poland"),
];
const TITLES: &[&str] = &[
    "CEO",
    "CTO",
    "Head of Sales",
    "Procurement Manager",
    "Operations Director",
    "Marketing Manager",
    "Founder",
    "IT Manager",
    "CFO",
    "Office Manager",
];
const TAGS: &[&str] = &[
    "vip",
    "inbound",
    "event-2026",
    "partner",
    "enterprise",
    "smb",
    "newsletter",
    "hot",
];
const NOTES: &[&str] = &[
    "Asked for a pricing sheet.",
    "Interested in the annual plan.",
    "Call back after the budget meeting.",
    "Needs approval from the board.",
    "Compared us with two competitors.",
    "Wants a demo for the whole team.",
];
const REPS: &[(&str, &str)] = &[
    ("Ana Popescu", "ana"),
    ("Mihai Ionescu", "mihai"),
    ("Elena Stoica", "elena"),
    ("Radu Munteanu", "radu"),
    ("Laura Matei", "laura"),
    ("James Wilson", "james"),
    ("Sofia Rossi", "sofia"),
];
pub const DEMO_PASSWORD: &str = "demo-password";

/// A stage-history row: lead, from stage, to stage, entered, left, by whom.
type HistoryRow = (i64, Option<i64>, i64, i64, Option<i64>, i64);

/// Leads written per transaction.
const BATCH: usize = 2000;

/// Bound values per multi-row INSERT. SQLite looks up `$n` parameters by name in a list, so a
/// statement's binding cost grows with the square of its parameters: ~300 is the sweet spot.
const PARAMS_PER_STATEMENT: usize = 300;

fn rows_per_statement(columns: usize) -> usize {
    PARAMS_PER_STATEMENT / columns
}

pub async fn run(settings: &Settings, leads: u64, seed: u64) -> anyhow::Result<()> {
    let started = Instant::now();
    let db = Db::connect(&settings.database_url).await?;
    crate::http::bootstrap(&db, settings).await?;
    let people = ensure_people(&db).await?;
    let mut rng = fastrand::Rng::with_seed(seed);
    let world = World::load(&db, people).await?;
    let mut next_lead: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM leads")
        .fetch_one(&db.pool)
        .await?;
    let now = chrono::Utc::now().timestamp_millis();
    let mut made = 0u64;
    let mut analyze_at = 2 * BATCH as u64;
    while made < leads {
        let count = (leads - made).min(BATCH as u64) as usize;
        let batch: Vec<DemoLead> = (0..count)
            .map(|i| DemoLead::generate(&mut rng, &world, next_lead + i as i64, now))
            .collect();
        write_batch(&db, world.pipeline, &batch).await?;
        next_lead += count as i64;
        made += count as u64;
        if made >= analyze_at {
            db.analyze_growing(&["leads", "lead_tags"]).await?;
            analyze_at *= 2;
        }
        if made % 100_000 < BATCH as u64 {
            println!("{made} leads ({:.0}s)", started.elapsed().as_secs_f64());
        }
    }
    db.sync_id_sequences(&["leads", "lead_stage_history", "activities"])
        .await?;
    db.fold_tag_totals().await?;
    db.refresh_statistics().await?;
    println!(
        "demo: {leads} leads in {:.1}s; reps sign in as <name>@demo.leadline.local with password {DEMO_PASSWORD}",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Sales reps and a manager (created once; reused by later runs). Returns the reps' ids.
async fn ensure_people(db: &Db) -> anyhow::Result<Vec<i64>> {
    let mut people: Vec<(&str, String, &str)> = REPS
        .iter()
        .map(|(name, login)| (*name, format!("{login}@demo.leadline.local"), "sales"))
        .collect();
    people.push((
        "Victor Constantin",
        "manager@demo.leadline.local".into(),
        "manager",
    ));
    let mut reps = Vec::new();
    for (name, email, role) in people {
        let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(email.clone())
            .fetch_optional(&db.pool)
            .await?;
        let id = match existing {
            Some(id) => id,
            None => {
                let input = users::NewUser {
                    email,
                    name: name.into(),
                    role: role.into(),
                    password: DEMO_PASSWORD.into(),
                    language: if name.ends_with("escu") {
                        "ro".into()
                    } else {
                        "en".into()
                    },
                };
                users::create(db, &Actor::system(), input)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?
            }
        };
        if role == "sales" {
            reps.push(id);
        }
    }
    Ok(reps)
}

struct World {
    reps: Vec<i64>,
    pipeline: i64,
    stages: Vec<i64>,
    sources: Vec<i64>,
    lost_reasons: Vec<i64>,
    tags: Vec<i64>,
}

impl World {
    async fn load(db: &Db, reps: Vec<i64>) -> anyhow::Result<World> {
        let pipeline: i64 = sqlx::query_scalar(
            "SELECT id FROM pipelines ORDER BY is_default DESC, position, id LIMIT 1",
        )
        .fetch_one(&db.pool)
        .await?;
        let stages = sqlx::query_scalar(
            "SELECT id FROM stages WHERE pipeline_id = $1 AND deleted_at IS NULL ORDER BY position, id",
        )
        .bind(pipeline)
        .fetch_all(&db.pool)
        .await?;
        let sources = sqlx::query_scalar("SELECT id FROM sources ORDER BY position")
            .fetch_all(&db.pool)
            .await?;
        let lost_reasons = sqlx::query_scalar("SELECT id FROM lost_reasons ORDER BY position")
            .fetch_all(&db.pool)
            .await?;
        for tag in TAGS {
            sqlx::query("INSERT INTO tags (name) VALUES ($1) ON CONFLICT (name) DO NOTHING")
                .bind(tag.to_string())
                .execute(&db.pool)
                .await?;
        }
        let tags = sqlx::query_scalar("SELECT id FROM tags ORDER BY id")
            .fetch_all(&db.pool)
            .await?;
        Ok(World {
            reps,
            pipeline,
            stages,
            sources,
            lost_reasons,
            tags,
        })
    }
}

struct DemoLead {
    id: i64,
    hash: String,
    name: String,
    title: String,
    company: String,
    email: String,
    phone: String,
    website: String,
    city: &'static str,
    state: &'static str,
    country: &'static str,
    value: Option<i64>,
    is_public: bool,
    stage: i64,
    /// Stages visited, in order, with the time each stay began.
    stays: Vec<(i64, i64)>,
    source: i64,
    assigned: i64,
    added: i64,
    lastcontact: Option<i64>,
    lost_reason: Option<i64>,
    junk: bool,
    note: Option<&'static str>,
    tags: Vec<i64>,
    next_action: Option<(String, i64)>,
}

impl DemoLead {
    fn generate(rng: &mut fastrand::Rng, world: &World, id: i64, now: i64) -> DemoLead {
        const DAY: i64 = 86_400_000;
        let pick =
            |rng: &mut fastrand::Rng, items: &[&'static str]| items[rng.usize(..items.len())];
        let first = pick(rng, FIRST);
        let last = pick(rng, LAST);
        let company = format!(
            "{} {} {}",
            pick(rng, COMPANY_A),
            pick(rng, COMPANY_B),
            pick(rng, SUFFIX)
        );
        let domain: String = company
            .split_whitespace()
            .take(2)
            .collect::<String>()
            .to_lowercase()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let (city, state, country) = PLACES[rng.usize(..PLACES.len())];
        let added = now - rng.i64(0..365 * DAY);
        // Most leads sit in early stages; fewer reach the later ones.
        let depth = (rng.f64().powf(1.8) * world.stages.len() as f64) as usize;
        let depth = depth.min(world.stages.len() - 1);
        let mut stays = Vec::with_capacity(depth + 1);
        let mut at = added;
        for &stage in &world.stages[..=depth] {
            stays.push((stage, at));
            at += rng.i64(DAY / 2..((now - at) / 2).max(DAY));
            at = at.min(now - 1);
        }
        let roll = rng.u8(..100);
        let lost_reason =
            (roll < 18).then(|| world.lost_reasons[rng.usize(..world.lost_reasons.len())]);
        let junk = (18..22).contains(&roll);
        let value = (depth >= 2 || rng.bool()).then(|| rng.i64(5..2_000) * 10_000);
        let tags = (0..rng.usize(0..3))
            .map(|_| world.tags[rng.usize(..world.tags.len())])
            .collect::<Vec<_>>();
        let mut tags = tags;
        tags.sort_unstable();
        tags.dedup();
        let next_action = (lost_reason.is_none() && !junk && rng.u8(..100) < 60).then(|| {
            let action = [
                "Call back",
                "Send proposal",
                "Book a demo",
                "Follow up by email",
            ][rng.usize(..4)];
            (action.to_string(), now + rng.i64(-5 * DAY..14 * DAY))
        });
        DemoLead {
            id,
            hash: format!("{:016x}{:016x}", rng.u64(..), rng.u64(..)),
            name: format!("{first} {last}"),
            title: pick(rng, TITLES).to_string(),
            email: format!("{}.{}@{domain}.example", ascii(first), ascii(last)),
            phone: format!(
                "+40 7{:02} {:03} {:03}",
                rng.u32(0..100),
                rng.u32(0..1000),
                rng.u32(0..1000)
            ),
            website: format!("https://{domain}.example"),
            company,
            city,
            state,
            country,
            value,
            is_public: rng.u8(..100) < 5,
            stage: stays.last().expect("at least the first stage").0,
            stays,
            source: world.sources[rng.usize(..world.sources.len())],
            assigned: world.reps[rng.usize(..world.reps.len())],
            added,
            lastcontact: (depth > 0).then(|| (added + rng.i64(0..(now - added).max(1))).min(now)),
            lost_reason,
            junk,
            note: (rng.u8(..100) < 40).then(|| NOTES[rng.usize(..NOTES.len())]),
            tags,
            next_action,
        }
    }
}

fn ascii(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'ș' | 'ş' => 's',
            'ț' | 'ţ' => 't',
            'ă' | 'â' => 'a',
            'î' => 'i',
            'ü' => 'u',
            other => other,
        })
        .filter(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_lowercase()
}

/// The columns of `leads` the demo writes, in the order of its rows.
const LEAD_COLUMNS: &str = "id, hash, name, title, company, email, phonenumber, website, city, state, country, \
     lead_value, is_public, pipeline_id, stage_id, position, source_id, assigned, addedfrom, dateadded, \
     dateassigned, lastcontact, last_status_change, last_activity_at, next_action, next_action_at, lost, \
     lost_reason_id, junk, last_stage_id, version, updated_at";

async fn write_batch(db: &Db, pipeline: i64, batch: &[DemoLead]) -> anyhow::Result<()> {
    let mut tx = db.begin_write().await?;
    // The leads go through a temporary table of the connection and into `leads` with one
    // statement a batch: SQLite's search index (FTS5) writes a segment at every statement that
    // touches it, and merging one segment per nine leads spent two thirds of a million-lead
    // load's time.
    sqlx::query(&format!(
        "CREATE TEMP TABLE IF NOT EXISTS demo_leads AS SELECT {LEAD_COLUMNS} FROM leads WHERE 1 = 0"
    ))
    .execute(&mut *tx)
    .await?;
    for chunk in batch.chunks(rows_per_statement(32)) {
        let mut sql = Sql::new(&format!("INSERT INTO demo_leads ({LEAD_COLUMNS}) VALUES "));
        for (i, lead) in chunk.iter().enumerate() {
            let closed = lead.lost_reason.is_some() || lead.junk;
            let entered = lead.stays.last().map(|s| s.1).unwrap_or(lead.added);
            sql.push(if i == 0 { "(" } else { ", (" });
            sql.bind(lead.id)
                .push(", ")
                .bind(lead.hash.clone())
                .push(", ")
                .bind(lead.name.clone());
            sql.push(", ")
                .bind(lead.title.clone())
                .push(", ")
                .bind(lead.company.clone());
            sql.push(", ")
                .bind(lead.email.clone())
                .push(", ")
                .bind(lead.phone.clone());
            sql.push(", ")
                .bind(lead.website.clone())
                .push(", ")
                .bind(lead.city.to_string());
            sql.push(", ")
                .bind(lead.state.to_string())
                .push(", ")
                .bind(lead.country.to_string());
            sql.push(", ")
                .bind(lead.value)
                .push(", ")
                .bind(i64::from(lead.is_public));
            sql.push(", ").bind(pipeline).push(", ").bind(lead.stage);
            sql.push(", ").bind(-(lead.id as f64) * 1024.0);
            sql.push(", ")
                .bind(lead.source)
                .push(", ")
                .bind(lead.assigned)
                .push(", ")
                .bind(lead.assigned);
            sql.push(", ")
                .bind(lead.added)
                .push(", ")
                .bind(lead.added)
                .push(", ")
                .bind(lead.lastcontact);
            sql.push(", ")
                .bind(entered)
                .push(", ")
                .bind(lead.lastcontact.unwrap_or(entered).max(entered));
            sql.push(", ")
                .bind(lead.next_action.as_ref().map(|a| a.0.clone()));
            sql.push(", ").bind(lead.next_action.as_ref().map(|a| a.1));
            sql.push(", ")
                .bind(i64::from(lead.lost_reason.is_some()))
                .push(", ")
                .bind(lead.lost_reason);
            sql.push(", ")
                .bind(i64::from(lead.junk))
                .push(", ")
                .bind(closed.then_some(lead.stage));
            sql.push(", 1, ").bind(entered).push(")");
        }
        sql.execute(&mut *tx).await?;
    }
    sqlx::query(&format!(
        "INSERT INTO leads ({LEAD_COLUMNS}) SELECT {LEAD_COLUMNS} FROM demo_leads ORDER BY id"
    ))
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM demo_leads")
        .execute(&mut *tx)
        .await?;

    // Stage history: one stay per visited stage, the last one open.
    let stays: Vec<HistoryRow> = batch
        .iter()
        .flat_map(|lead| {
            lead.stays
                .iter()
                .enumerate()
                .map(move |(i, &(stage, entered))| {
                    let from = i.checked_sub(1).map(|p| lead.stays[p].0);
                    let left = lead.stays.get(i + 1).map(|next| next.1);
                    (lead.id, from, stage, entered, left, lead.assigned)
                })
        })
        .collect();
    for chunk in stays.chunks(rows_per_statement(6)) {
        let mut sql = Sql::new(
            "INSERT INTO lead_stage_history (lead_id, from_stage_id, to_stage_id, entered_at, left_at, by_user_id, via) VALUES ",
        );
        for (i, &(lead, from, to, entered, left, by)) in chunk.iter().enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" });
            sql.bind(lead)
                .push(", ")
                .bind(from)
                .push(", ")
                .bind(to)
                .push(", ")
                .bind(entered);
            sql.push(", ")
                .bind(left)
                .push(", ")
                .bind(by)
                .push(", 'demo')");
        }
        sql.execute(&mut *tx).await?;
    }

    // Timeline: "created" for every lead, a note for some.
    let activities: Vec<(i64, &str, Option<&str>, i64, i64)> = batch
        .iter()
        .flat_map(|lead| {
            let created = (lead.id, "system", None, lead.assigned, lead.added);
            let note = lead.note.map(|body| {
                (
                    lead.id,
                    "note",
                    Some(body),
                    lead.assigned,
                    lead.added + 3_600_000,
                )
            });
            std::iter::once(created).chain(note)
        })
        .collect();
    for chunk in activities.chunks(rows_per_statement(6)) {
        let mut sql = Sql::new(
            "INSERT INTO activities (lead_id, kind, event, body, user_id, via, created_at) VALUES ",
        );
        for (i, &(lead, kind, body, user, at)) in chunk.iter().enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" });
            sql.bind(lead).push(", ").bind(kind.to_string()).push(", ");
            sql.bind((kind == "system").then(|| "created".to_string()));
            sql.push(", ")
                .bind(body.map(str::to_string))
                .push(", ")
                .bind(user);
            sql.push(", 'demo', ").bind(at).push(")");
        }
        sql.execute(&mut *tx).await?;
    }

    let tags: Vec<(i64, i64)> = batch
        .iter()
        .flat_map(|lead| lead.tags.iter().map(move |&tag| (lead.id, tag)))
        .collect();
    for chunk in tags.chunks(rows_per_statement(2)) {
        let mut sql = Sql::new("INSERT INTO lead_tags (lead_id, tag_id) VALUES ");
        for (i, &(lead, tag)) in chunk.iter().enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" });
            sql.bind(lead).push(", ").bind(tag).push(")");
        }
        sql.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}
