//! A lead's card: what an SDR needs at a glance, draggable with a pointer (mouse anywhere,
//! touch by its grip), movable with the keyboard, and with a "Move to…" menu.

use super::dnd;
use super::state::{BoardState, Drag, Grab, Prompt};
use crate::i18n::fill;
use crate::models::{initials, Card, LeadInput};
use crate::use_locale;
use leptos::ev::{KeyboardEvent, PointerEvent};
use leptos::prelude::*;

#[component]
pub fn LeadCard(card: Card) -> impl IntoView {
    let state = expect_context::<BoardState>();
    let locale = use_locale();
    let t = locale.t();
    let id = card.id;
    let name = card.name.clone();

    let dragging = move || {
        state
            .drag
            .with(|d| d.as_ref().is_some_and(|d| d.active && d.lead == id))
    };
    let grabbed = move || {
        state
            .grab
            .with(|g| g.as_ref().is_some_and(|g| g.lead == id))
    };
    let drop_before = move || matches!(state.target.get(), Some(super::state::DropTarget::Stage { before: Some(b), .. }) if b == id);

    let drag_name = name.clone();
    let on_down = move |ev: PointerEvent| {
        let busy = state.grab.with_untracked(Option::is_some)
            || state.prompt.with_untracked(Option::is_some);
        if ev.button() != 0 || busy || dnd::on_button(ev.target()) {
            return;
        }
        if ev.pointer_type() != "mouse" && !dnd::on_grip(ev.target()) {
            return;
        }
        state.drag.set(Some(Drag {
            lead: id,
            name: drag_name.clone(),
            pointer: ev.pointer_id(),
            start: (ev.client_x(), ev.client_y()),
            active: false,
        }));
    };
    let on_move = move |ev: PointerEvent| {
        let Some(drag) = state.drag.get_untracked() else {
            return;
        };
        if drag.pointer != ev.pointer_id() {
            return;
        }
        let (x, y) = (ev.client_x(), ev.client_y());
        if !drag.active {
            if (x - drag.start.0).abs() + (y - drag.start.1).abs() < 6 {
                return;
            }
            state.drag.update(|d| {
                if let Some(d) = d {
                    d.active = true;
                }
            });
            // Captured only once it is a drag: a press that does not move stays a click on
            // whatever was pressed (the lead's name opens the lead).
            if let Some(element) = ev
                .current_target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            {
                let _ = element.set_pointer_capture(ev.pointer_id());
            }
        }
        ev.prevent_default();
        state.pointer_at.set((x, y));
        dnd::auto_scroll(x, y);
        let target = dnd::target_at(x, y, id);
        if state.target.get_untracked() != target {
            state.target.set(target);
        }
    };
    let on_up = move |ev: PointerEvent| {
        let Some(drag) = state.drag.get_untracked() else {
            return;
        };
        if drag.pointer != ev.pointer_id() {
            return;
        }
        state.drag.set(None);
        let target = state.target.get_untracked();
        state.target.set(None);
        if let (true, Some(target)) = (drag.active, target) {
            state.drop_at(id, target);
        }
    };
    let on_cancel = move |_: PointerEvent| {
        state.drag.set(None);
        state.target.set(None);
    };

    let on_key = move |ev: KeyboardEvent| {
        // Keys on the card's own buttons keep their usual meaning.
        if dnd::on_control(ev.target()) {
            return;
        }
        let holding = state.grab.with_untracked(|g| g.as_ref().map(|g| g.lead)) == Some(id);
        match ev.key().as_str() {
            " " | "Enter" => {
                ev.prevent_default();
                if holding {
                    if let Some(grab) = state.grab.get_untracked() {
                        state.grab.set(None);
                        state.commit(id, grab.snapshot, LeadInput::default());
                        dnd::focus_card_soon(id);
                    }
                } else if state.grab.with_untracked(Option::is_none) {
                    state.grab.set(Some(Grab {
                        lead: id,
                        snapshot: state.snapshot(),
                    }));
                    state.say(state.describe_place(id, t.picked_up));
                }
            }
            "Escape" if holding => {
                ev.prevent_default();
                if let Some(grab) = state.grab.get_untracked() {
                    state.grab.set(None);
                    state.restore(&grab.snapshot);
                    let stage = state
                        .locate(id)
                        .map(|(i, _)| state.stage_name(i))
                        .unwrap_or_default();
                    let name = state.card(id).map(|c| c.name).unwrap_or_default();
                    state.say(fill(
                        t.move_cancelled,
                        &[("name", &name), ("stage", &stage)],
                    ));
                    dnd::focus_card_soon(id);
                }
            }
            key @ ("ArrowUp" | "ArrowDown" | "ArrowLeft" | "ArrowRight") if holding => {
                ev.prevent_default();
                step(state, id, key);
                state.say(state.describe_place(id, t.moved_over));
                dnd::focus_card_soon(id);
            }
            _ => {}
        }
    };

    let menu_card = card.clone();
    let open_menu = move |_| {
        state.prompt.set(Some(Prompt::MoveTo {
            card: menu_card.clone(),
        }));
    };
    let next_action = card.next_action.clone().map(|action| {
        let due = card.next_action_at.map(|at| locale.date(at));
        view! {
            <p class="card-next" class:overdue=card.overdue>
                <span class="sr-only">{locale.field_label("next_action")}": "</span>
                {action}
                {due.map(|due| view! { <span class="card-due">{due}</span> })}
                {card.overdue.then(|| view! { <span class="sr-only">" ("{t.overdue}")"</span> })}
            </p>
        }
    });
    let assignee = card.assigned_name.clone().map(|assignee| {
        view! { <span class="avatar avatar-sm" title=assignee.clone() aria-label=assignee.clone()>{initials(&assignee)}</span> }
    });
    view! {
        <article
            class="lead-card"
            class:dragging=dragging
            class:grabbed=grabbed
            class:drop-before=drop_before
            class:stalled=card.stalled
            tabindex="0"
            data-card=id
            aria-label=name.clone()
            aria-describedby="board-help"
            on:pointerdown=on_down
            on:pointermove=on_move
            on:pointerup=on_up
            on:pointercancel=on_cancel
            on:keydown=on_key
        >
            <div class="card-top">
                <span class="grip" aria-hidden="true"></span>
                <h3 class="card-name">
                    <a href=format!("/admin/leads/{id}") draggable="false">{name.clone()}</a>
                </h3>
                <button type="button" class="icon-btn card-menu" aria-label=fill(t.move_name_to, &[("name", &name)])
                    title=t.move_to on:click=open_menu>
                    <span aria-hidden="true">"⋯"</span>
                </button>
            </div>
            {card.company.clone().map(|company| view! { <p class="card-company">{company}</p> })}
            <div class="card-meta">
                {card.lead_value.map(|v| view! { <span class="card-value">{locale.money(v)}</span> })}
                {card.source_name.clone().map(|s| view! { <span class="card-source">{s}</span> })}
            </div>
            {(!card.tags.is_empty()).then(|| view! {
                <ul class="card-tags" aria-label=t.tag>
                    {card.tags.iter().map(|tag| view! { <li class="tag">{tag.clone()}</li> }).collect_view()}
                </ul>
            })}
            {next_action}
            <div class="card-foot">
                <span class="card-age">{fill(t.days_in_stage, &[("n", &card.days_in_stage)])}</span>
                {card.converted.then(|| view! { <span class="badge badge-ok">{t.converted}</span> })}
                {card.stalled.then(|| view! { <span class="badge badge-warn">{t.stalled}</span> })}
                {assignee}
            </div>
        </article>
    }
    .into_any()
}

/// One keyboard step of a held card: within its column (up/down) or to the next column
/// (left/right), keeping its height in the column where it can.
fn step(state: BoardState, lead: i64, key: &str) {
    let Some((index, at)) = state.locate(lead) else {
        return;
    };
    match key {
        "ArrowUp" | "ArrowDown" => {
            let column = state.column(index).expect("located");
            column.cards.update(|cards| {
                let to = if key == "ArrowUp" {
                    at.checked_sub(1)
                } else {
                    Some(at + 1).filter(|&to| to < cards.len())
                };
                if let Some(to) = to {
                    cards.swap(at, to);
                }
            });
        }
        _ => {
            let to = if key == "ArrowLeft" {
                index.checked_sub(1)
            } else {
                Some(index + 1).filter(|&to| to < state.column_count())
            };
            if let Some(to) = to {
                if let Some((_, card)) = state.take(lead) {
                    state.put(to, at, card);
                }
            }
        }
    }
}
