//! Following `/admin/events` (server-sent events) so the board shows other people's changes
//! within a second, without a reload.

use super::state::BoardState;

/// Subscribes the board to live lead events until it is unmounted. `resync` runs when events
/// may have been missed (the stream fell behind or reconnected).
#[cfg(feature = "hydrate")]
pub fn follow(state: BoardState, resync: impl Fn() + 'static) {
    use crate::models::LeadEvent;
    use leptos::prelude::*;
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::{EventSource, MessageEvent};

    let Ok(source) = EventSource::new("/admin/events") else {
        return;
    };
    let on_lead = Closure::<dyn FnMut(MessageEvent)>::new(move |message: MessageEvent| {
        let Some(data) = message.data().as_string() else {
            return;
        };
        let Ok(event) = serde_json::from_str::<LeadEvent>(&data) else {
            return;
        };
        if event.pipeline_id == state.pipeline || state.locate(event.lead_id).is_some() {
            state.refresh_lead(event.lead_id);
            state.refresh_totals_soon();
        }
    });
    let resync = Rc::new(resync);
    let on_resync = {
        let resync = resync.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |_: MessageEvent| resync())
    };
    // The browser reconnects by itself; whatever happened meanwhile is read again.
    let mut opened = false;
    let on_open = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
        if opened {
            resync();
        }
        opened = true;
    });
    let _ = source.add_event_listener_with_callback("lead", on_lead.as_ref().unchecked_ref());
    let _ = source.add_event_listener_with_callback("resync", on_resync.as_ref().unchecked_ref());
    let _ = source.add_event_listener_with_callback("open", on_open.as_ref().unchecked_ref());
    let held = StoredValue::new_local((source, on_lead, on_resync, on_open));
    on_cleanup(move || {
        held.with_value(|(source, ..)| source.close());
    });
}

#[cfg(not(feature = "hydrate"))]
pub fn follow(_state: BoardState, _resync: impl Fn() + 'static) {}
