//! `GET /admin/leads/export.csv?<the list's filters>`: the leads the list selects, as CSV,
//! streamed a chunk at a time (constant memory, whatever the count) in the reader's scope.
//! Cells that a spreadsheet would run as a formula are neutralised.

use crate::http::plain_error;
use app::i18n::Locale;
use app::models::{CurrentUser, ListQuery};
use app::server::list::{self, ExportPlan, ExportRow};
use app::server::{Actor, Store};
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use futures_util::StreamExt;
use std::collections::HashMap;

/// Leads per chunk read and written.
const CHUNK: i64 = 1_000;

pub async fn export_csv(
    State(store): State<Store>,
    Query(params): Query<HashMap<String, String>>,
    user: Option<Extension<CurrentUser>>,
) -> Response {
    let Some(Extension(user)) = user else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let actor = Actor::user(&user);
    let query = ListQuery::from_query(|key| params.get(key).cloned()).with_custom(&params);
    // Rows ticked in the list: `ids=3,5,8` (an unreadable id is left out, never guessed).
    let ids: Vec<i64> = params
        .get("ids")
        .map(|ids| {
            ids.split(',')
                .filter_map(|id| id.trim().parse().ok())
                .collect()
        })
        .unwrap_or_default();
    let plan = match list::export_plan(&store.db, &actor, &query, ids).await {
        Ok(plan) => plan,
        Err(error) => return plain_error(error),
    };
    let header_row = header_row(&plan, actor.locale);
    let state = Some((store, actor, plan, None::<i64>, Some(header_row)));
    let chunks = futures_util::stream::unfold(state, |state| async move {
        let (store, actor, plan, before, header) = state?;
        let chunk = match list::export_chunk(&store.db, &actor, &plan, before, CHUNK).await {
            Ok(chunk) => chunk,
            Err(error) => {
                tracing::error!(%error, "export stopped");
                return Some((Err(std::io::Error::other("export stopped")), None));
            }
        };
        let mut bytes = header.unwrap_or_default();
        for (row, tags, custom) in &chunk.rows {
            bytes.extend(record(row, tags, custom, actor.locale));
        }
        let next = chunk
            .next
            .map(|next| (store, actor, plan, Some(next), None));
        Some((Ok::<_, std::io::Error>(Bytes::from(bytes)), next))
    })
    // The compression layer may poll once more after the end.
    .fuse();
    let filename = format!(
        "attachment; filename=\"leads-{}.csv\"",
        chrono::Utc::now().format("%Y-%m-%d")
    );
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, filename),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        Body::from_stream(chunks),
    )
        .into_response()
}

/// One CSV line from `cells` (quoted as needed by the csv crate).
fn line(cells: &[String]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(cells)
        .expect("writing to memory cannot fail");
    writer.into_inner().expect("writing to memory cannot fail")
}

fn header_row(plan: &ExportPlan, locale: Locale) -> Vec<u8> {
    let t = locale.t();
    let label = |field: &str| locale.field_label(field).to_string();
    let mut cells = vec![
        "id".to_string(),
        label("name"),
        label("title"),
        label("company"),
        label("email"),
        label("phonenumber"),
        label("website"),
        t.stage.to_string(),
        label("assigned"),
        label("source"),
        label("lead_value"),
        label("tags"),
        t.status.to_string(),
        t.last_contact.to_string(),
        t.created.to_string(),
        label("next_action"),
        label("next_action_at"),
        label("address"),
        label("city"),
        label("state"),
        label("zip"),
        label("country"),
    ];
    cells.extend(plan.fields.iter().map(|field| field.label.clone()));
    // A byte-order mark first, so spreadsheet programs read the file as UTF-8.
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(line(&cells));
    bytes
}

fn record(row: &ExportRow, tags: &[String], custom: &[String], locale: Locale) -> Vec<u8> {
    let t = locale.t();
    let text = |value: &Option<String>| safe(value.as_deref().unwrap_or_default());
    let when = |at: Option<i64>| {
        at.and_then(chrono::DateTime::from_timestamp_millis)
            .map(|at| at.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default()
    };
    let status = if row.lost == 1 {
        t.lost
    } else if row.junk == 1 {
        t.junk
    } else {
        t.status_open
    };
    let mut cells = vec![
        row.id.to_string(),
        safe(&row.name),
        text(&row.title),
        text(&row.company),
        text(&row.email),
        text(&row.phonenumber),
        text(&row.website),
        safe(&row.stage_name),
        text(&row.assigned_name),
        text(&row.source_name),
        row.lead_value
            .map(app::models::money_text)
            .unwrap_or_default(),
        safe(&tags.join(", ")),
        status.to_string(),
        when(row.lastcontact),
        when(Some(row.dateadded)),
        text(&row.next_action),
        when(row.next_action_at),
        text(&row.address),
        text(&row.city),
        text(&row.state),
        text(&row.zip),
        text(&row.country),
    ];
    cells.extend(custom.iter().map(|value| safe(value)));
    line(&cells)
}

/// A cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, carriage return
/// first) gets a leading apostrophe, so opening the export never runs anything.
fn safe(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::{line, safe};

    #[test]
    fn cells_are_quoted_and_formulas_neutralised() {
        assert_eq!(safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe("+40 711"), "'+40 711");
        assert_eq!(safe("Acme"), "Acme");
        let bytes = line(&["a,b".into(), "say \"hi\"".into(), "two\nlines".into()]);
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\n"
        );
    }
}
