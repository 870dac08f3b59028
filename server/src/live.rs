//! `/admin/events`: the live stream (server-sent events) of lead changes the signed-in user
//! may see. Open boards and lists follow it instead of reloading.

use app::models::CurrentUser;
use app::server::events::LeadEvent;
use app::server::leads::event_visible;
use app::server::{Actor, Store};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use std::convert::Infallible;
use tokio::sync::broadcast::error::RecvError;

/// Every event is a `lead` message with the `LeadEvent` as JSON. A `resync` message says the
/// client fell behind and should reload what it shows.
pub async fn lead_events(
    State(store): State<Store>,
    user: Option<Extension<CurrentUser>>,
) -> Response {
    let Some(Extension(user)) = user else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let subscription = (store.events.subscribe(), Actor::user(&user));
    let stream = futures_util::stream::unfold(subscription, |(mut events, actor)| async move {
        loop {
            let message = match events.recv().await {
                Ok(event) if event_visible(&actor, &event) => lead_message(&event),
                Ok(_) => continue,
                Err(RecvError::Lagged(_)) => Event::default().event("resync").data("lagged"),
                Err(RecvError::Closed) => return None,
            };
            return Some((Ok::<_, Infallible>(message), (events, actor)));
        }
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

fn lead_message(event: &LeadEvent) -> Event {
    Event::default()
        .event("lead")
        .json_data(event)
        .unwrap_or_else(|_| Event::default().event("resync").data("unserializable"))
}
