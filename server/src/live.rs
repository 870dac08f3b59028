//! `/admin/events`: the live stream (server-sent events) of lead changes the signed-in user
//! may see, and the user's unread notification count. Open boards and lists follow the
//! first instead of reloading; the bell follows the second.

use app::models::CurrentUser;
use app::server::events::LeadEvent;
use app::server::leads::event_visible;
use app::server::{notifications, Actor, Store};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde::Deserialize;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

/// Which messages a client wants: `?topics=notifications` for the unread count (the bell on
/// every page), otherwise lead changes (boards and lists).
#[derive(Deserialize)]
pub struct Topics {
    #[serde(default)]
    topics: String,
}

/// How often the unread count is looked at when no lead event prompts it (reminders fire in
/// the background, and other processes may notify).
const UNREAD_EVERY: Duration = Duration::from_secs(3);

/// Lead changes: every event is a `lead` message with the `LeadEvent` as JSON; a `resync`
/// message says the client fell behind and should reload what it shows. Notifications: a
/// `notifications` message with the unread count whenever it changes.
pub async fn lead_events(
    State(store): State<Store>,
    Query(topics): Query<Topics>,
    user: Option<Extension<CurrentUser>>,
) -> Response {
    let Some(Extension(user)) = user else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let actor = Actor::user(&user);
    if topics.topics == "notifications" {
        return unread_counts(store, actor).into_response();
    }
    let subscription = (store.events.subscribe(), actor);
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

/// The user's unread count, first at once, then each time it changes: looked at after every
/// lead event this user may see (an assignment or a move notifies at once) and every few
/// seconds.
fn unread_counts(store: Store, actor: Actor) -> impl IntoResponse {
    let mut ticks = tokio::time::interval(UNREAD_EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let state = (store.events.subscribe(), store, actor, ticks, None::<i64>);
    let stream = futures_util::stream::unfold(
        state,
        |(mut events, store, actor, mut ticks, mut last)| async move {
            loop {
                tokio::select! {
                    received = events.recv() => match received {
                        Ok(event) if event_visible(&actor, &event) => {}
                        Ok(_) | Err(RecvError::Lagged(_)) => continue,
                        Err(RecvError::Closed) => return None,
                    },
                    _ = ticks.tick() => {}
                }
                let user = actor.user_id?;
                let Ok(count) = notifications::unread(&store.db, user).await else {
                    continue;
                };
                if last != Some(count) {
                    last = Some(count);
                    let message = Event::default()
                        .event("notifications")
                        .data(count.to_string());
                    return Some((
                        Ok::<_, Infallible>(message),
                        (events, store, actor, ticks, last),
                    ));
                }
            }
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn lead_message(event: &LeadEvent) -> Event {
    Event::default()
        .event("lead")
        .json_data(event)
        .unwrap_or_else(|_| Event::default().event("resync").data("unserializable"))
}
